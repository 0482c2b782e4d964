using System.Globalization;
using System.Text;

namespace Connectors.Modules.Templates;

// Sprig's abbreviation, wrapping and splitting helpers (goutils and strings.SplitN semantics).
internal static partial class SprigFunctions
{
    private static string Abbrev(long width, string s)
    {
        if (width < 4 || Encoding.UTF8.GetByteCount(s) <= width)
        {
            return s;
        }

        return ByteSlice(s, 0, (int)width - 3) + "...";
    }

    private static string AbbrevBoth(long left, long right, string s)
    {
        if (right < 4 || (left > 0 && right < 7) || s.Length == 0)
        {
            return s;
        }

        var len = s.Length;
        if (len <= right)
        {
            return s;
        }

        var offset = (int)Math.Min(left, len);
        if (len - offset < right - 3)
        {
            offset = len - ((int)right - 3);
        }

        if (offset <= 4)
        {
            return s[..((int)right - 3)] + "...";
        }

        if (offset + right - 3 < len)
        {
            return "..." + Abbrev(right - 3, s[offset..]);
        }

        return "..." + s[(len - ((int)right - 3))..];
    }

    private static string WrapCustom(string str, int wrapLength, string newLine, bool wrapLongWords)
    {
        if (str.Length == 0)
        {
            return string.Empty;
        }

        if (newLine.Length == 0)
        {
            newLine = "\n";
        }

        wrapLength = Math.Max(wrapLength, 1);
        var len = str.Length;
        var offset = 0;
        var sb = new StringBuilder();
        while (len - offset > wrapLength)
        {
            if (str[offset] == ' ')
            {
                offset++;
                continue;
            }

            var end = wrapLength + offset + 1;
            var spaceToWrapAt = str.LastIndexOf(' ', end - 1, end - offset);
            if (spaceToWrapAt >= offset)
            {
                sb.Append(str, offset, spaceToWrapAt - offset).Append(newLine);
                offset = spaceToWrapAt + 1;
            }
            else if (wrapLongWords)
            {
                sb.Append(str, offset, wrapLength).Append(newLine);
                offset += wrapLength;
            }
            else
            {
                var index = str.IndexOf(' ', wrapLength + offset);
                if (index < 0)
                {
                    sb.Append(str, offset, len - offset);
                    offset = len;
                }
                else
                {
                    sb.Append(str, offset, index - offset).Append(newLine);
                    offset = index + 1;
                }
            }
        }

        sb.Append(str, offset, len - offset);
        return sb.ToString();
    }

    /// <summary>strings.SplitN (n &lt; 0: all); an empty separator splits into runes.</summary>
    internal static List<string> GoSplit(string s, string sep, int n)
    {
        if (n == 0)
        {
            return [];
        }

        if (sep.Length == 0)
        {
            var runes = s.EnumerateRunes().Select(r => r.ToString()).ToList();
            if (n > 0 && runes.Count > n)
            {
                var head = runes.Take(n - 1).ToList();
                head.Add(string.Concat(runes.Skip(n - 1)));
                return head;
            }

            return runes;
        }

        var parts = new List<string>();
        var start = 0;
        while (n < 0 || parts.Count < n - 1)
        {
            var i = s.IndexOf(sep, start, StringComparison.Ordinal);
            if (i < 0)
            {
                break;
            }

            parts.Add(s[start..i]);
            start = i + sep.Length;
        }

        parts.Add(s[start..]);
        return parts;
    }

    private static GoMap SplitMap(List<string> parts)
    {
        var map = new Dictionary<string, object?>(parts.Count, StringComparer.Ordinal);
        for (var i = 0; i < parts.Count; i++)
        {
            map["_" + i.ToString(CultureInfo.InvariantCulture)] = parts[i];
        }

        return new GoMap(map, "string");
    }
}
