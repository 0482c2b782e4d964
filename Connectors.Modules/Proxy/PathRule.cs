namespace Connectors.Modules.Proxy;

/// <summary>What <see cref="PathRule.Check"/> found in a raw request path.</summary>
internal enum PathVerdict
{
    /// <summary>Nothing a server could resolve to another place.</summary>
    Clean,

    /// <summary>Clean, but holds an encoded slash (<c>%2F</c>): harmless under a root address, refused under a path prefix.</summary>
    EncodedSlash,

    /// <summary>Refused with 400; <see cref="PathRule.Check"/> gives the reason.</summary>
    Refused,
}

/// <summary>
/// The one path rule for every forwarded request (reverse host and path form, forward absolute-form, requests inside
/// tunnels), applied to the raw path before any credential is considered. Refused: dot-segments (<c>.</c>, <c>..</c>,
/// also percent-encoded, double-encoded or followed by <c>;params</c>, and also where an encoded slash or a backslash
/// would make them a segment), backslashes (plain or encoded), encoded NUL and malformed percent-encoding. The upstream
/// then receives exactly the checked bytes (see <see cref="UpstreamUri"/>), so no later normalisation can move it.
/// </summary>
internal static class PathRule
{
    private const int MaxDecodeRounds = 3;

    /// <summary>Checks a raw path (no query); <paramref name="reason"/> is set when the verdict is <see cref="PathVerdict.Refused"/>.</summary>
    public static PathVerdict Check(ReadOnlySpan<char> path, out string? reason)
    {
        reason = null;
        var encodedSlash = false;
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '\\')
            {
                reason = "a backslash in the path is not allowed";
                return PathVerdict.Refused;
            }

            if (c != '%')
            {
                continue;
            }

            if (i + 2 >= path.Length || !IsHex(path[i + 1]) || !IsHex(path[i + 2]))
            {
                reason = "the path has malformed percent-encoding";
                return PathVerdict.Refused;
            }

            switch (HexValue(path[i + 1], path[i + 2]))
            {
                case 0x00:
                    reason = "an encoded NUL (%00) in the path is not allowed";
                    return PathVerdict.Refused;
                case 0x5C:
                    reason = "an encoded backslash (%5C) in the path is not allowed";
                    return PathVerdict.Refused;
                case 0x2F:
                    encodedSlash = true;
                    break;
            }
        }

        if (HasDotSegment(path))
        {
            reason = "dot-segments (\".\" or \"..\", plain or percent-encoded) in the path are not allowed";
            return PathVerdict.Refused;
        }

        return encodedSlash ? PathVerdict.EncodedSlash : PathVerdict.Clean;
    }

    /// <summary>
    /// Whether any segment is <c>.</c> or <c>..</c> once percent-encoding is undone (up to three times, for servers
    /// that decode twice), slashes and backslashes both split segments, and <c>;params</c> are cut off (Tomcat reads
    /// <c>..;</c> as <c>..</c>).
    /// </summary>
    internal static bool HasDotSegment(ReadOnlySpan<char> path)
    {
        if (SegmentsHaveDots(path))
        {
            return true;
        }

        var current = path;
        for (var round = 0; round < MaxDecodeRounds && current.Contains('%'); round++)
        {
            var decoded = DecodeAscii(current);
            if (decoded.Length == current.Length)
            {
                return false;
            }

            if (SegmentsHaveDots(decoded))
            {
                return true;
            }

            current = decoded;
        }

        return false;
    }

    private static bool SegmentsHaveDots(ReadOnlySpan<char> path)
    {
        var start = 0;
        for (var i = 0; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] != '/' && path[i] != '\\')
            {
                continue;
            }

            var segment = path[start..i];
            var semicolon = segment.IndexOf(';');
            if (semicolon >= 0)
            {
                segment = segment[..semicolon];
            }

            if (segment is "." or "..")
            {
                return true;
            }

            start = i + 1;
        }

        return false;
    }

    /// <summary>Undoes one round of percent-encoding of ASCII characters; other escapes and characters stay.</summary>
    private static string DecodeAscii(ReadOnlySpan<char> text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]) && HexValue(text[i + 1], text[i + 2]) is var value and < 0x80)
            {
                builder.Append((char)value);
                i += 2;
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char high, char low) => (HexDigit(high) << 4) | HexDigit(low);

    private static int HexDigit(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
