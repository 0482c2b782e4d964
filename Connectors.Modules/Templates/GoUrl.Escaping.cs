using System.Text;

namespace Connectors.Modules.Templates;

// net/url's escape, unescape and shouldEscape per encoding mode.
internal sealed partial class GoUrl
{
    private static int Unhex(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    internal static string Unescape(string s, Mode mode, string raw)
    {
        if (!s.Contains('%', StringComparison.Ordinal) && !(mode == Mode.QueryComponent && s.Contains('+', StringComparison.Ordinal)) && mode != Mode.Host)
        {
            return s;
        }

        var bytes = new List<byte>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '%')
            {
                if (i + 2 >= s.Length || Unhex(s[i + 1]) < 0 || Unhex(s[i + 2]) < 0)
                {
                    var bad = s[i..Math.Min(i + 3, s.Length)];
                    throw Error(raw, $"invalid URL escape {GoQuote.Quote(bad)}");
                }

                if (mode == Mode.Host && Unhex(s[i + 1]) < 8 && s.Substring(i, 3) != "%25")
                {
                    throw Error(raw, $"invalid URL escape {GoQuote.Quote(s.Substring(i, 3))}");
                }

                bytes.Add((byte)((Unhex(s[i + 1]) << 4) | Unhex(s[i + 2])));
                i += 2;
                continue;
            }

            if (mode == Mode.Host && c < 0x80 && ShouldEscape(c, mode))
            {
                throw Error(raw, $"invalid character {GoQuote.Quote(c.ToString())} in host name");
            }

            if (c == '+' && mode == Mode.QueryComponent)
            {
                bytes.Add((byte)' ');
                continue;
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    internal static bool ShouldEscape(char c, Mode mode)
    {
        if (char.IsAsciiLetterOrDigit(c))
        {
            return false;
        }

        if (mode is Mode.Host or Mode.Zone && "!$&'()*+,;=:[]<>\"".Contains(c, StringComparison.Ordinal))
        {
            return false;
        }

        if (c is '-' or '_' or '.' or '~')
        {
            return false;
        }

        if ("$&+,/:;=?@".Contains(c, StringComparison.Ordinal))
        {
            switch (mode)
            {
                case Mode.Path: return c == '?';
                case Mode.PathSegment: return c is '/' or ';' or ',' or '?';
                case Mode.UserPassword: return c is '@' or '/' or '?' or ':';
                case Mode.QueryComponent: return true;
                case Mode.Fragment: return false;
            }
        }

        if (mode == Mode.Fragment && c is '!' or '(' or ')' or '*')
        {
            return false;
        }

        return true;
    }

    internal static string Escape(string s, Mode mode)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (b < 0x80 && !ShouldEscape(c, mode))
            {
                sb.Append(c);
            }
            else if (c == ' ' && mode == Mode.QueryComponent)
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 15]);
            }
        }

        return sb.ToString();
    }
}
