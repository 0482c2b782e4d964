using System.Globalization;
using System.Text;

namespace Connectors.Modules.Templates;

/// <summary>
/// Go's rune case mapping (unicode.ToUpper, ToLower, ToTitle, SimpleFold) from Go's own tables
/// (GoCaseTables.cs, generated), so <c>upper</c>, <c>title</c>, <c>swapcase</c> and the regex case folding give Go's
/// bytes: .NET's invariant mapping leaves ı, ſ and İ alone where Go maps them, and has no title case.
/// </summary>
internal static partial class GoCase
{
    private const int UpperCase = 0;
    private const int LowerCase = 1;
    private const int TitleCase = 2;
    private const int UpperLower = 0x110000;

    public static int ToUpper(int r) => r < 0x80 ? (r is >= 'a' and <= 'z' ? r - 32 : r) : To(UpperCase, r);

    public static int ToLower(int r) => r < 0x80 ? (r is >= 'A' and <= 'Z' ? r + 32 : r) : To(LowerCase, r);

    public static int ToTitle(int r) => r < 0x80 ? (r is >= 'a' and <= 'z' ? r - 32 : r) : To(TitleCase, r);

    /// <summary>unicode.SimpleFold: the next rune of <paramref name="r"/>'s case-folding orbit.</summary>
    public static int SimpleFold(int r)
    {
        if (Lookups.OrbitNext.TryGetValue(r, out var next))
        {
            return next;
        }

        var lower = ToLower(r);
        return lower != r ? lower : ToUpper(r);
    }

    /// <summary>Every rune that folds to <paramref name="r"/>, <paramref name="r"/> first.</summary>
    public static IEnumerable<int> Orbit(int r)
    {
        yield return r;
        for (var f = SimpleFold(r); f != r; f = SimpleFold(f))
        {
            yield return f;
        }
    }

    public static string ToUpper(string s) => Map(s, ToUpper);

    public static string ToLower(string s) => Map(s, ToLower);

    /// <summary>strings.Map over runes; lone surrogates stay as they are.</summary>
    public static string Map(string s, Func<int, int> mapping)
    {
        var ascii = true;
        foreach (var c in s)
        {
            if (c >= 0x80)
            {
                ascii = false;
                break;
            }
        }

        if (ascii)
        {
            return string.Create(s.Length, (s, mapping), static (span, state) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = (char)state.mapping(state.s[i]);
                }
            });
        }

        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var r = RuneAt(s, i, out var width);
            Append(sb, width == 1 && char.IsSurrogate(s[i]) ? r : mapping(r));
            i += width - 1;
        }

        return sb.ToString();
    }

    /// <summary>The rune at <paramref name="i"/>: a surrogate pair's code point, or the UTF-16 unit itself.</summary>
    public static int RuneAt(string s, int i, out int width)
    {
        if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            width = 2;
            return char.ConvertToUtf32(s[i], s[i + 1]);
        }

        width = 1;
        return s[i];
    }

    public static void Append(StringBuilder sb, int r)
    {
        if (r < 0x10000)
        {
            sb.Append((char)r);
        }
        else
        {
            sb.Append(char.ConvertFromUtf32(r));
        }
    }

    public static bool IsUpper(int r) => Category(r) == UnicodeCategory.UppercaseLetter;

    public static bool IsLower(int r) => Category(r) == UnicodeCategory.LowercaseLetter;

    public static bool IsTitle(int r) => Category(r) == UnicodeCategory.TitlecaseLetter;

    public static bool IsLetter(int r) => Category(r) is >= UnicodeCategory.UppercaseLetter and <= UnicodeCategory.OtherLetter;

    public static bool IsDigit(int r) => r < 0x80 ? r is >= '0' and <= '9' : Category(r) == UnicodeCategory.DecimalDigitNumber;

    /// <summary>unicode.IsSpace: the Latin-1 spaces, then the White_Space property.</summary>
    public static bool IsSpace(int r) => r <= 0xFF
        ? r is '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or 0x85 or 0xA0
        : r < 0x10000 && char.IsWhiteSpace((char)r);

    private static UnicodeCategory Category(int r) =>
        r is >= 0xD800 and <= 0xDFFF ? UnicodeCategory.Surrogate : CharUnicodeInfo.GetUnicodeCategory(r);

    private static int To(int kind, int r)
    {
        var ranges = Ranges;
        int lo = 0, hi = ranges.Length / 5;
        while (lo < hi)
        {
            var m = lo + ((hi - lo) / 2);
            var start = ranges[m * 5];
            var end = ranges[(m * 5) + 1];
            if (start <= r && r <= end)
            {
                var delta = ranges[(m * 5) + 2 + kind];
                return delta == UpperLower ? start + (((r - start) & ~1) | (kind & 1)) : r + delta;
            }

            if (r < start)
            {
                hi = m;
            }
            else
            {
                lo = m + 1;
            }
        }

        return r;
    }

    /// <summary>The rune ranges of Go's script <paramref name="name"/> (lo, hi pairs), or null.</summary>
    public static int[]? ScriptRanges(string name) => Lookups.Scripts.GetValueOrDefault(name);

    /// <summary>Built on first use: the generated arrays live in the other part of this class, whose field
    /// initializers are not ordered with this part's.</summary>
    private static class Lookups
    {
        public static readonly Dictionary<string, int[]> Scripts = ScriptTable.ToDictionary(s => s.Name, s => s.Ranges, StringComparer.Ordinal);

        public static readonly Dictionary<int, int> OrbitNext = BuildOrbits();

        private static Dictionary<int, int> BuildOrbits()
        {
            var map = new Dictionary<int, int>(Orbits.Length / 2);
            for (var i = 0; i < Orbits.Length; i += 2)
            {
                map[Orbits[i]] = Orbits[i + 1];
            }

            return map;
        }
    }
}
