using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>Go's template.HTMLEscapeString, JSEscapeString and url.QueryEscape / PathEscape.</summary>
internal static class GoEscapes
{
    private const string UpperHex = "0123456789ABCDEF";
    private static readonly System.Buffers.SearchValues<char> HtmlSpecial = System.Buffers.SearchValues.Create("<>&'\"\0");

    public static string Html(string s)
    {
        if (s.AsSpan().IndexOfAny(HtmlSpecial) < 0)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length + 16);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "&#34;",
                '\'' => "&#39;",
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\0' => "\uFFFD",
                _ => null,
            } ?? c.ToString());
        }

        return sb.ToString();
    }

    public static string JavaScript(string s)
    {
        var sb = new StringBuilder(s.Length + 16);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '\\': sb.Append("\\\\"); continue;
                case '\'': sb.Append("\\'"); continue;
                case '"': sb.Append("\\\""); continue;
                case '<': sb.Append("\\u003C"); continue;
                case '>': sb.Append("\\u003E"); continue;
                case '&': sb.Append("\\u0026"); continue;
                case '=': sb.Append("\\u003D"); continue;
            }

            if (c < 0x80)
            {
                if (c < ' ' || c == 0x7f)
                {
                    sb.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append(c);
                }

                continue;
            }

            var r = (int)c;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                r = char.ConvertToUtf32(c, s[i + 1]);
            }

            if (GoQuote.IsPrint(r))
            {
                sb.Append(char.ConvertFromUtf32(r));
            }
            else
            {
                sb.Append("\\u").Append(r.ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }

            if (r > 0xFFFF)
            {
                i++;
            }
        }

        return sb.ToString();
    }

    /// <summary>url.QueryEscape: unreserved bytes kept, space as '+', everything else %XX.</summary>
    public static string QueryEscape(string s) => Escape(s, query: true);

    /// <summary>url.PathEscape (encodePathSegment).</summary>
    public static string PathEscape(string s) => Escape(s, query: false);

    private static string Escape(string s, bool query)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        var sb = new StringBuilder(bytes.Length + 8);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else if (!query && c is '$' or '&' or '+' or ',' or ';' or '=' or ':' or '@')
            {
                sb.Append(c);
            }
            else if (query && c == ' ')
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append(UpperHex[b >> 4]).Append(UpperHex[b & 15]);
            }
        }

        return sb.ToString();
    }
}
