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

    /// <summary>
    /// Whether a value headed for a request header holds CR, LF or NUL. Headers added without validation are written as
    /// they are: a line break would end the header and start another (or a second request) of the Secret's choosing on
    /// a connection that other Connectors of the same tool reuse.
    /// </summary>
    public static bool BreaksHeader(string value) => value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0;
}
