using System.Globalization;
using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>Go's strconv.Quote, QuoteToASCII, Unquote and QuoteRune, on .NET strings.</summary>
internal static class GoQuote
{
    private const string Hex = "0123456789abcdef";

    public static string Quote(string s) => Quote(s, '"', asciiOnly: false);

    public static string Quote(string s, char quote, bool asciiOnly)
    {
        var sb = new StringBuilder(s.Length + 2);
        AppendQuoted(sb, s, quote, asciiOnly);
        return sb.ToString();
    }

    public static void AppendQuoted(StringBuilder sb, string s, char quote, bool asciiOnly)
    {
        sb.Append(quote);
        for (var i = 0; i < s.Length; i++)
        {
            int r = s[i];
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                r = char.ConvertToUtf32(s[i], s[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                r = 0xFFFD;
            }

            AppendEscapedRune(sb, r, quote, asciiOnly);
        }

        sb.Append(quote);
    }

    public static void AppendEscapedRune(StringBuilder sb, int r, char quote, bool asciiOnly)
    {
        if (r == quote || r == '\\')
        {
            sb.Append('\\').Append((char)r);
            return;
        }

        if (asciiOnly ? r < 0x80 && IsPrint(r) : IsPrint(r))
        {
            sb.Append(char.ConvertFromUtf32(r));
            return;
        }

        switch (r)
        {
            case '\a': sb.Append("\\a"); return;
            case '\b': sb.Append("\\b"); return;
            case '\f': sb.Append("\\f"); return;
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\t': sb.Append("\\t"); return;
            case '\v': sb.Append("\\v"); return;
        }

        if (r < ' ' || r == 0x7f)
        {
            sb.Append("\\x").Append(Hex[r >> 4]).Append(Hex[r & 0xF]);
        }
        else if (r < 0x10000)
        {
            sb.Append("\\u").Append(r.ToString("x4", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append("\\U").Append(r.ToString("x8", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    public static bool IsPrint(int r)
    {
        if (r < 0x80)
        {
            return r >= 0x20 && r < 0x7f;
        }

        if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
        {
            return false;
        }

        var cat = CharUnicodeInfo.GetUnicodeCategory(r);
        return cat switch
        {
            UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => false,
            _ => true,
        };
    }

    /// <summary>Go's %#U form: <c>U+0041 'A'</c>.</summary>
    public static string UnicodeFormat(int r)
    {
        var code = "U+" + r.ToString("X4", CultureInfo.InvariantCulture);
        return IsPrint(r) ? code + " '" + char.ConvertFromUtf32(r) + "'" : code;
    }

    public static string QuoteRune(int r)
    {
        var sb = new StringBuilder();
        sb.Append('\'');
        if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
        {
            r = 0xFFFD;
        }

        AppendEscapedRune(sb, r, '\'', asciiOnly: false);
        sb.Append('\'');
        return sb.ToString();
    }

    /// <summary>Go's strconv.Unquote for "...", `...` and '...' literals.</summary>
    public static bool TryUnquote(string literal, out string value)
    {
        value = string.Empty;
        if (literal.Length < 2 || literal[0] != literal[^1])
        {
            return false;
        }

        var quote = literal[0];
        var body = literal[1..^1];
        if (quote == '`')
        {
            if (body.Contains('`', StringComparison.Ordinal))
            {
                return false;
            }

            value = body.Replace("\r", string.Empty, StringComparison.Ordinal);
            return true;
        }

        if (quote is not ('"' or '\''))
        {
            return false;
        }

        var sb = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length;)
        {
            var c = body[i];
            if (c == quote || c == '\n')
            {
                return false;
            }

            if (c != '\\')
            {
                sb.Append(c);
                i++;
                continue;
            }

            if (!TryEscape(body, ref i, quote, sb))
            {
                return false;
            }
        }

        value = sb.ToString();
        if (quote == '\'')
        {
            var runes = value.EnumerateRunes().Count();
            return runes == 1;
        }

        return true;
    }

    private static bool TryEscape(string body, ref int i, char quote, StringBuilder sb)
    {
        if (i + 1 >= body.Length)
        {
            return false;
        }

        var e = body[i + 1];
        i += 2;
        switch (e)
        {
            case 'a': sb.Append('\a'); return true;
            case 'b': sb.Append('\b'); return true;
            case 'f': sb.Append('\f'); return true;
            case 'n': sb.Append('\n'); return true;
            case 'r': sb.Append('\r'); return true;
            case 't': sb.Append('\t'); return true;
            case 'v': sb.Append('\v'); return true;
            case '\\': sb.Append('\\'); return true;
            case '\'' or '"':
                if (e != quote)
                {
                    return false;
                }

                sb.Append(e);
                return true;
            case 'x' or 'u' or 'U':
                var n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                if (i + n > body.Length || !int.TryParse(body.AsSpan(i, n), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    return false;
                }

                i += n;
                return AppendCode(sb, code, e == 'x');
            case >= '0' and <= '7':
                if (i + 2 > body.Length)
                {
                    return false;
                }

                var oct = body.AsSpan(i - 1, 3);
                var v = 0;
                foreach (var d in oct)
                {
                    if (d < '0' || d > '7')
                    {
                        return false;
                    }

                    v = (v * 8) + (d - '0');
                }

                i += 2;
                return v <= 255 && AppendCode(sb, v, true);
            default:
                return false;
        }
    }

    private static bool AppendCode(StringBuilder sb, int code, bool isByte)
    {
        if (isByte && code >= 0x80)
        {
            // A lone byte is not representable in a .NET string; Go would keep the raw byte.
            sb.Append((char)code);
            return true;
        }

        if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        {
            return false;
        }

        sb.Append(char.ConvertFromUtf32(code));
        return true;
    }
}
