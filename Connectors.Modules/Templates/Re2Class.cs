using System.Globalization;
using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>
/// A character class of Go's regexp syntax as a set of rune ranges plus .NET Unicode-category tokens, emitted as a
/// .NET pattern that matches one rune (a surrogate pair counts as one, as in Go).
/// </summary>
internal sealed class Re2Class
{
    private const int MaxRune = 0x10FFFF;
    private const int MaxFoldedRange = 4096;
    private const string AnyRune = @"(?>[\ud800-\udbff][\udc00-\udfff]|[\s\S])";

    private readonly List<(int Lo, int Hi)> _ranges = [];
    private readonly List<string> _tokens = [];

    public bool Negated { get; set; }

    public static Re2Class Perl(char name)
    {
        var c = new Re2Class();
        switch (char.ToLowerInvariant(name))
        {
            case 'd':
                c.Add('0', '9');
                break;
            case 's':
                c.Add('\t', '\n');
                c.Add('\f', '\r');
                c.Add(' ', ' ');
                break;
            default:
                c.AddWord();
                break;
        }

        c.Negated = char.IsUpper(name);
        return c;
    }

    /// <summary>[:alpha:] and the other POSIX classes, which are ASCII-only in Go; null when the name is unknown.</summary>
    public static Re2Class? Posix(string name)
    {
        var c = new Re2Class();
        switch (name)
        {
            case "alnum": c.Add('0', '9'); c.Add('A', 'Z'); c.Add('a', 'z'); break;
            case "alpha": c.Add('A', 'Z'); c.Add('a', 'z'); break;
            case "ascii": c.Add(0, 0x7F); break;
            case "blank": c.Add('\t', '\t'); c.Add(' ', ' '); break;
            case "cntrl": c.Add(0, 0x1F); c.Add(0x7F, 0x7F); break;
            case "digit": c.Add('0', '9'); break;
            case "graph": c.Add('!', '~'); break;
            case "lower": c.Add('a', 'z'); break;
            case "print": c.Add(' ', '~'); break;
            case "punct": c.Add('!', '/'); c.Add(':', '@'); c.Add('[', '`'); c.Add('{', '~'); break;
            case "space": c.Add('\t', '\r'); c.Add(' ', ' '); break;
            case "upper": c.Add('A', 'Z'); break;
            case "word": c.AddWord(); break;
            case "xdigit": c.Add('0', '9'); c.Add('A', 'F'); c.Add('a', 'f'); break;
            default: return null;
        }

        return c;
    }

    /// <summary>\pL, \p{Greek}, \P{Lu}, \p{^Han}; null when Go does not know the name.</summary>
    public static Re2Class? Unicode(string name, bool negated)
    {
        var c = new Re2Class { Negated = negated };
        if (name == "Any")
        {
            c.Add(0, MaxRune);
            return c;
        }

        if (GoCase.ScriptRanges(name) is { } ranges)
        {
            for (var i = 0; i < ranges.Length; i += 2)
            {
                c.Add(ranges[i], ranges[i + 1]);
            }

            return c;
        }

        if (!IsCategory(name))
        {
            return null;
        }

        c._tokens.Add(@"\p{" + name + "}");
        return c;
    }

    private static bool IsCategory(string name) => name is "L" or "Lu" or "Ll" or "Lt" or "Lm" or "Lo" or "M" or "Mn" or "Mc" or "Me"
        or "N" or "Nd" or "Nl" or "No" or "P" or "Pc" or "Pd" or "Ps" or "Pe" or "Pi" or "Pf" or "Po" or "S" or "Sm" or "Sc" or "Sk"
        or "So" or "Z" or "Zs" or "Zl" or "Zp" or "C" or "Cc" or "Cf" or "Co" or "Cs";

    public void Add(int lo, int hi) => _ranges.Add((lo, hi));

    /// <summary>Adds <paramref name="other"/>'s runes (a negated class is added as its complement).</summary>
    public void Add(Re2Class other)
    {
        if (!other.Negated)
        {
            _ranges.AddRange(other._ranges);
            _tokens.AddRange(other._tokens);
            return;
        }

        foreach (var token in other._tokens)
        {
            // The complement of a category token with ranges beside it cannot be one token; Go builds it from tables.
            _tokens.Add(token.Replace(@"\p{", @"\P{", StringComparison.Ordinal));
        }

        var next = 0;
        foreach (var (lo, hi) in Normalized(other._ranges))
        {
            if (lo > next)
            {
                _ranges.Add((next, lo - 1));
            }

            next = hi + 1;
        }

        if (next <= MaxRune && (other._ranges.Count > 0 || other._tokens.Count == 0))
        {
            _ranges.Add((next, MaxRune));
        }
    }

    /// <summary>Adds every rune's case-folding orbit, as Go does for a class under (?i).</summary>
    public void Fold()
    {
        foreach (var (lo, hi) in _ranges.ToArray())
        {
            if (hi - lo > MaxFoldedRange)
            {
                continue;
            }

            for (var r = lo; r <= hi; r++)
            {
                foreach (var f in GoCase.Orbit(r))
                {
                    if (f != r)
                    {
                        _ranges.Add((f, f));
                    }
                }
            }
        }
    }

    public string ToPattern()
    {
        var positive = Positive();
        return Negated ? $"(?:(?!{positive}){AnyRune})" : positive;
    }

    private string Positive()
    {
        var ranges = Normalized(_ranges);
        var bmp = new StringBuilder();
        var astral = new List<string>();
        foreach (var (lo, hi) in ranges)
        {
            if (lo <= 0xFFFF)
            {
                AppendBmp(bmp, lo, Math.Min(hi, 0xFFFF));
            }

            if (hi > 0xFFFF)
            {
                AddAstral(astral, Math.Max(lo, 0x10000), hi);
            }
        }

        foreach (var token in _tokens)
        {
            bmp.Append(token);
        }

        if (bmp.Length == 0 && astral.Count == 0)
        {
            return "(?!)";
        }

        if (astral.Count == 0)
        {
            return "[" + bmp + "]";
        }

        return "(?:" + string.Join('|', astral) + (bmp.Length > 0 ? "|[" + bmp + "]" : string.Empty) + ")";
    }

    private void AddWord()
    {
        Add('0', '9');
        Add('A', 'Z');
        Add('_', '_');
        Add('a', 'z');
    }

    private static void AppendBmp(StringBuilder sb, int lo, int hi)
    {
        // A range over surrogates would match half of a pair; Go's classes never contain surrogates.
        if (lo <= 0xD7FF || hi >= 0xE000)
        {
            var a = lo;
            var b = hi;
            if (a >= 0xD800 && a <= 0xDFFF)
            {
                a = 0xE000;
            }

            if (b >= 0xD800 && b <= 0xDFFF)
            {
                b = 0xD7FF;
            }

            if (a <= 0xD7FF && b >= 0xE000)
            {
                AppendRange(sb, a, 0xD7FF);
                AppendRange(sb, 0xE000, b);
            }
            else if (a <= b)
            {
                AppendRange(sb, a, b);
            }
        }
    }

    private static void AppendRange(StringBuilder sb, int lo, int hi)
    {
        sb.Append(Escape(lo));
        if (hi != lo)
        {
            sb.Append('-').Append(Escape(hi));
        }
    }

    private static string Escape(int c) => "\\u" + c.ToString("x4", CultureInfo.InvariantCulture);

    private static void AddAstral(List<string> parts, int lo, int hi)
    {
        var (loHigh, loLow) = Split(lo);
        var (hiHigh, hiLow) = Split(hi);
        if (loHigh == hiHigh)
        {
            parts.Add($"{Escape(loHigh)}[{Escape(loLow)}-{Escape(hiLow)}]");
            return;
        }

        parts.Add($"{Escape(loHigh)}[{Escape(loLow)}-\\udfff]");
        if (hiHigh - loHigh > 1)
        {
            parts.Add($"[{Escape(loHigh + 1)}-{Escape(hiHigh - 1)}][\\udc00-\\udfff]");
        }

        parts.Add($"{Escape(hiHigh)}[\\udc00-{Escape(hiLow)}]");
    }

    private static (int High, int Low) Split(int r)
    {
        var v = r - 0x10000;
        return (0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
    }

    private static List<(int Lo, int Hi)> Normalized(List<(int Lo, int Hi)> ranges)
    {
        var sorted = ranges.OrderBy(r => r.Lo).ToList();
        var merged = new List<(int Lo, int Hi)>(sorted.Count);
        foreach (var (lo, hi) in sorted)
        {
            if (merged.Count > 0 && lo <= merged[^1].Hi + 1)
            {
                merged[^1] = (merged[^1].Lo, Math.Max(merged[^1].Hi, hi));
            }
            else
            {
                merged.Add((lo, hi));
            }
        }

        return merged;
    }
}
