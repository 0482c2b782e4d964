using System.Text;
using Connectors.Modules.Model;

namespace Connectors.Modules.Credentials;

/// <summary>Reads a Secret's values as text: <c>data</c> (bytes) first, then <c>stringData</c>.</summary>
internal static class SecretData
{
    public static string? Read(Secret secret, string key)
    {
        if (secret.Data is { } data && data.TryGetValue(key, out var bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        return secret.StringData is { } text && text.TryGetValue(key, out var value) ? value : null;
    }
}
