using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>huandu/xstrings' ToSnakeCase/ToKebabCase (word splitting on case, digits and connectors) and ToCamelCase.</summary>
internal static class CaseWords
{
    private static bool IsConnector(char c) => c is '-' or '_' || char.IsWhiteSpace(c);

    public static string ToCamel(string s)
    {
        if (s.Length == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder(s.Length);
        var i = 0;
        while (i < s.Length && IsConnector(s[i]))
        {
            sb.Append(s[i++]);
        }

        if (i == s.Length)
        {
            return sb.ToString();
        }

        var r0 = char.ToUpperInvariant(s[i++]);
        while (i < s.Length)
        {
            var r1 = r0;
            r0 = s[i++];
            if (IsConnector(r0) && IsConnector(r1))
            {
                sb.Append(r1);
                continue;
            }

            if (IsConnector(r1))
            {
                r0 = char.ToUpperInvariant(r0);
            }
            else
            {
                r0 = char.ToLowerInvariant(r0);
                sb.Append(r1);
            }
        }

        sb.Append(r0);
        return sb.ToString();
    }

    /// <summary>Lower-cased words joined by <paramref name="connector"/>: every space, '_' or '-' becomes one
    /// connector, and a connector is added where the case changes (HTTPServer → http_server, fooBar → foo_bar).</summary>
    public static string ToDelimited(string s, char connector)
    {
        var sb = new StringBuilder(s.Length + 4);
        var glued = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (IsConnector(c))
            {
                sb.Append(connector);
                glued = false;
                continue;
            }

            if (!char.IsLower(c) && !char.IsDigit(c))
            {
                glued = false;
            }

            if (i > 0 && !IsConnector(s[i - 1]))
            {
                var prev = s[i - 1];
                var next = i + 1 < s.Length ? s[i + 1] : '\0';
                var boundary = (char.IsUpper(c) && (char.IsLower(prev) || char.IsDigit(prev)))
                    || (char.IsUpper(c) && char.IsUpper(prev) && char.IsLower(next))
                    || (!glued && char.IsDigit(c) && char.IsLetter(prev) && DigitsThenLower(s, i));
                if (boundary)
                {
                    sb.Append(connector);

                    // After "_2" in "HTTP2xx", xstrings keeps following letters and digits in the same word.
                    glued = char.IsDigit(c);
                }
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    /// <summary>xstrings: digits between letters start a new word when lower-case letters follow them
    /// (HTTP2xx → http_2xx, abc123def → abc_123def); before an upper-case word they stay with the previous one.</summary>
    private static bool DigitsThenLower(string s, int i)
    {
        var j = i;
        while (j < s.Length && char.IsDigit(s[j]))
        {
            j++;
        }

        return j < s.Length && char.IsLower(s[j]);
    }
}
