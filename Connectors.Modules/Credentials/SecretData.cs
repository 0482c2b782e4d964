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

    /// <summary><c>base64(user:password)</c>, the RFC 7617 Basic credential.</summary>
    public static string BasicCredential(string user, string password)
    {
        var raw = Encoding.UTF8.GetBytes(user + ":" + password);
        return Convert.ToBase64String(raw);
    }
}
