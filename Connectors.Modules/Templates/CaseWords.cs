using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>huandu/xstrings' ToSnakeCase/ToKebabCase (word splitting on case, digits and connectors) and ToCamelCase.</summary>
internal static class CaseWords
{
    private static bool IsConnector(int c) => c is '-' or '_' || GoCase.IsSpace(c);

    private static int[] Runes(string s)
    {
        var runes = new List<int>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            runes.Add(GoCase.RuneAt(s, i, out var width));
            i += width - 1;
        }

        return [.. runes];
    }

    public static string ToCamel(string text)
    {
        var s = Runes(text);
        if (s.Length == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text.Length);
        var i = 0;
        while (i < s.Length && IsConnector(s[i]))
        {
            GoCase.Append(sb, s[i++]);
        }

        if (i == s.Length)
        {
            return sb.ToString();
        }

        var r0 = GoCase.ToUpper(s[i++]);
        while (i < s.Length)
        {
            var r1 = r0;
            r0 = s[i++];
            if (IsConnector(r0) && IsConnector(r1))
            {
                GoCase.Append(sb, r1);
                continue;
            }

            if (IsConnector(r1))
            {
                r0 = GoCase.ToUpper(r0);
            }
            else
            {
                r0 = GoCase.ToLower(r0);
                GoCase.Append(sb, r1);
            }
        }

        GoCase.Append(sb, r0);
        return sb.ToString();
    }

    /// <summary>Lower-cased words joined by <paramref name="connector"/>: every space, '_' or '-' becomes one
    /// connector, and a connector is added where the case changes (HTTPServer → http_server, fooBar → foo_bar).</summary>
    public static string ToDelimited(string text, char connector)
    {
        var s = Runes(text);
        var sb = new StringBuilder(text.Length + 4);
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

            if (!GoCase.IsLower(c) && !GoCase.IsDigit(c))
            {
                glued = false;
            }

            if (i > 0 && !IsConnector(s[i - 1]))
            {
                var prev = s[i - 1];
                var next = i + 1 < s.Length ? s[i + 1] : 0;
                var boundary = (GoCase.IsUpper(c) && (GoCase.IsLower(prev) || GoCase.IsDigit(prev)))
                    || (GoCase.IsUpper(c) && GoCase.IsUpper(prev) && GoCase.IsLower(next))
                    || (!glued && GoCase.IsDigit(c) && GoCase.IsLetter(prev) && DigitsThenLower(s, i));
                if (boundary)
                {
                    sb.Append(connector);

                    // After "_2" in "HTTP2xx", xstrings keeps following letters and digits in the same word.
                    glued = GoCase.IsDigit(c);
                }
            }

            // xstrings lowers only upper-case runes: a title-case letter (ǅ) stays as it is.
            GoCase.Append(sb, GoCase.IsUpper(c) ? GoCase.ToLower(c) : c);
        }

        return sb.ToString();
    }

    /// <summary>xstrings: digits between letters start a new word when lower-case letters follow them
    /// (HTTP2xx → http_2xx, abc123def → abc_123def); before an upper-case word they stay with the previous one.</summary>
    private static bool DigitsThenLower(int[] s, int i)
    {
        var j = i;
        while (j < s.Length && GoCase.IsDigit(s[j]))
        {
            j++;
        }

        return j < s.Length && GoCase.IsLower(s[j]);
    }
}
