using System.Text;

namespace Connectors.Modules.Model;

/// <summary>
/// RFC 7617 Basic credentials, <c>base64(user ":" password)</c> over UTF-8, both ways: what the injectors and the
/// registry token client send (and the pull Secrets' <c>auth</c>), and what the proxy (a client's token) and the probes (a registry account) read back.
/// </summary>
internal static class BasicCredentials
{
    /// <summary><c>base64(user:password)</c>, without the <c>Basic </c> scheme.</summary>
    public static string Encode(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    /// <summary>
    /// Splits <c>base64(user:password)</c> at the first colon (RFC 7617 §2: a user-id holds none); false when
    /// <paramref name="encoded"/> is not base64 or its text has no colon.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> encoded, out string user, out string password)
    {
        user = password = string.Empty;
        Span<byte> bytes = encoded.Length <= 4096 ? stackalloc byte[encoded.Length] : new byte[encoded.Length];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var written))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes[..written]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        user = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }
}
