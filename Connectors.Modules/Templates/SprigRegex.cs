using System.Text;
using System.Text.RegularExpressions;

namespace Connectors.Modules.Templates;

// Sprig's regex functions over .NET regular expressions, with Go's (RE2) match rules where they differ:
// FindAll skips an empty match that abuts the previous match, Split follows regexp.Split, and replacement
// templates expand $1, ${1}, $name and ${name} as Regexp.Expand does.
internal static partial class SprigFunctions
{
    private static void RegisterRegex(FunctionTable t)
    {
        Add(t, "regexMatch", [S, S], null, a => TryRegex(Str(a[0]), out var r) && r.Regex.IsMatch(Str(a[1])));
        Add(t, "mustRegexMatch", [S, S], null, a => Regex(Str(a[0])).Regex.IsMatch(Str(a[1])));
        AddPair(t, "regexFindAll", [S, S, I], null, a => FindAll(Regex(Str(a[0])), Str(a[1]), (int)Int(a[2])) is { Count: > 0 } found
            ? GoList.Strings(found.Select(m => m.Value))
            : NilStrings);
        AddPair(t, "regexFind", [S, S], null, a => Regex(Str(a[0])).Regex.Match(Str(a[1])) is { Success: true } m ? m.Value : string.Empty);
        AddPair(t, "regexReplaceAll", [S, S, S], null, a => ReplaceAll(Regex(Str(a[0])), Str(a[1]), Str(a[2]), literal: false));
        AddPair(t, "regexReplaceAllLiteral", [S, S, S], null, a => ReplaceAll(Regex(Str(a[0])), Str(a[1]), Str(a[2]), literal: true));
        AddPair(t, "regexSplit", [S, S, I], null, a => RegexSplit(Regex(Str(a[0])), Str(a[0]), Str(a[1]), (int)Int(a[2])));
        Add(t, "regexQuoteMeta", [S], null, a => QuoteMeta(Str(a[0])));
    }

    /// <summary>regexp's FindAllString finding nothing: a nil []string (JSON null).</summary>
    private static readonly GoList NilStrings = new([], "string", isNil: true);

    private static bool TryRegex(string pattern, out GoRegexp regex)
    {
        try
        {
            regex = Regex(pattern);
            return true;
        }
        catch (FunctionCallException)
        {
            regex = null!;
            return false;
        }
    }

    private static GoRegexp Regex(string pattern)
    {
        try
        {
            return GoRegexCompiler.Compile(pattern);
        }
        catch (FormatException e)
        {
            throw new FunctionCallException($"regexp: Compile({GoQuote.Quote(pattern)}): {e.Message}");
        }
    }

    private static List<Match> FindAll(GoRegexp r, string s, int n)
    {
        var result = new List<Match>();
        var prevEnd = -1;
        for (var m = r.Regex.Match(s); m.Success && (n < 0 || result.Count < n); m = m.NextMatch())
        {
            // Go steps a rune at a time: .NET can also match between the halves of a surrogate pair.
            if ((m.Length == 0 && m.Index == prevEnd) || InsidePair(s, m.Index))
            {
                continue;
            }

            result.Add(m);
            prevEnd = m.Index + m.Length;
        }

        return result;
    }

    private static bool InsidePair(string s, int index) =>
        index > 0 && index < s.Length && char.IsLowSurrogate(s[index]) && char.IsHighSurrogate(s[index - 1]);

    private static string ReplaceAll(GoRegexp r, string s, string repl, bool literal)
    {
        var sb = new StringBuilder();
        var last = 0;
        foreach (var m in FindAll(r, s, -1))
        {
            sb.Append(s, last, m.Index - last);
            if (literal)
            {
                sb.Append(repl);
            }
            else
            {
                Expand(sb, repl, r, m);
            }

            last = m.Index + m.Length;
        }

        sb.Append(s, last, s.Length - last);
        return sb.ToString();
    }

    private static void Expand(StringBuilder sb, string template, GoRegexp r, Match m)
    {
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c != '$' || i + 1 >= template.Length)
            {
                sb.Append(c);
                continue;
            }

            if (template[i + 1] == '$')
            {
                sb.Append('$');
                i++;
                continue;
            }

            string name;
            int end;
            if (template[i + 1] == '{')
            {
                end = template.IndexOf('}', i + 2);
                name = end < 0 ? string.Empty : template[(i + 2)..end];
                if (end < 0 || name.Length == 0 || !name.All(ch => char.IsLetterOrDigit(ch) || ch == '_'))
                {
                    sb.Append(c);
                    continue;
                }
            }
            else
            {
                end = i + 1;
                while (end < template.Length && (char.IsLetterOrDigit(template[end]) || template[end] == '_'))
                {
                    end++;
                }

                name = template[(i + 1)..end];
                end--;
                if (name.Length == 0)
                {
                    sb.Append(c);
                    continue;
                }
            }

            Group? group = null;
            if (int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var num))
            {
                group = num < m.Groups.Count ? m.Groups[num] : null;
            }
            else if (r.GroupNames.TryGetValue(name, out var named))
            {
                group = m.Groups[named];
            }

            if (group is { Success: true })
            {
                sb.Append(group.Value);
            }

            i = end;
        }
    }

    private static GoList RegexSplit(GoRegexp r, string expr, string s, int n)
    {
        if (n == 0)
        {
            return new GoList([], "string");
        }

        if (expr.Length > 0 && s.Length == 0)
        {
            return GoList.Strings([string.Empty]);
        }

        var parts = new List<string>();
        int beg = 0, end = 0;
        foreach (var m in FindAll(r, s, n))
        {
            if (n > 0 && parts.Count == n - 1)
            {
                break;
            }

            end = m.Index;
            if (m.Index + m.Length != 0)
            {
                parts.Add(s[beg..end]);
            }

            beg = m.Index + m.Length;
        }

        if (end != s.Length)
        {
            parts.Add(s[beg..]);
        }

        return GoList.Strings(parts);
    }

    private static string QuoteMeta(string s)
    {
        var sb = new StringBuilder(s.Length * 2);
        foreach (var c in s)
        {
            if (@"\.+*?()|[]{}^$".Contains(c, StringComparison.Ordinal))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
