using System.Globalization;

namespace Connectors.Modules.Csi;

/// <summary>
/// Reads <c>/proc/PID/smaps</c> (proc(5)): a header line per mapping (<c>start-end perms offset dev inode path</c>)
/// followed by <c>Key: value kB</c> lines. Only the range, permissions, path, <c>Rss</c>, <c>Anonymous</c> and <c>Swap</c> are kept.
/// </summary>
internal static class SmapsParser
{
    /// <summary>The current process's mappings.</summary>
    public static List<SmapsEntry> ReadSelf()
    {
        using var reader = File.OpenText("/proc/self/smaps");
        return Parse(reader);
    }

    /// <exception cref="FormatException">A line is neither a mapping header nor a <c>Key: value</c> line.</exception>
    public static List<SmapsEntry> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var entries = new List<SmapsEntry>();
        SmapsEntry? current = null;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (TryParseHeader(line, out var header))
            {
                if (current is { } done)
                {
                    entries.Add(done);
                }

                current = header;
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || current is not { } entry)
            {
                throw new FormatException($"smaps: unexpected line '{line}'");
            }

            var key = line.AsSpan(0, colon);
            if (key is "Rss")
            {
                current = entry with { RssBytes = Kilobytes(line, colon) };
            }
            else if (key is "Anonymous")
            {
                current = entry with { AnonymousBytes = Kilobytes(line, colon) };
            }
            else if (key is "Swap")
            {
                current = entry with { SwapBytes = Kilobytes(line, colon) };
            }
        }

        if (current is { } last)
        {
            entries.Add(last);
        }

        return entries;
    }

    private static bool TryParseHeader(string line, out SmapsEntry entry)
    {
        entry = default;
        // start-end perms offset dev inode [path]: hex range, then fields separated by single spaces, the path padded.
        var dash = line.IndexOf('-', StringComparison.Ordinal);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (dash <= 0 || space <= dash
            || !ulong.TryParse(line.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end))
        {
            return false;
        }

        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5 || fields[1].Length != 4)
        {
            return false;
        }

        entry = new SmapsEntry(start, end, fields[1], fields.Length == 6 ? fields[5].Trim() : string.Empty, 0, 0);
        return true;
    }

    private static long Kilobytes(string line, int colon)
    {
        var value = line.AsSpan(colon + 1).Trim();
        if (value.EndsWith(" kB", StringComparison.Ordinal))
        {
            value = value[..^3].TrimEnd();
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var kb)
            ? kb * 1024
            : throw new FormatException($"smaps: bad size in '{line}'");
    }
}
