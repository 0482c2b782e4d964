using System.Globalization;

namespace Connectors.Modules.Csi;

/// <summary>Reads <c>/proc/self/mountinfo</c>: the mounts of this process, and which are stacked on a path.</summary>
internal static class MountTable
{
    private const string MountInfo = "/proc/self/mountinfo";

    /// <summary>The mounts of this process's mount namespace; empty where there is no <c>/proc</c>.</summary>
    public static List<MountEntry> Read()
    {
        var result = new List<MountEntry>();
        if (!File.Exists(MountInfo))
        {
            return result;
        }

        foreach (var line in File.ReadLines(MountInfo))
        {
            // id parent major:minor root mount-point options [optional fields...] - fstype source super-options
            var fields = line.Split(' ');
            var separator = fields.Length > 6 ? Array.IndexOf(fields, "-", 6) : -1;
            if (separator < 0 || separator + 2 >= fields.Length
                || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent))
            {
                continue;
            }

            result.Add(new MountEntry(id, parent, Unescape(fields[4]), Unescape(fields[separator + 1]), Unescape(fields[separator + 2])));
        }

        return result;
    }

    /// <summary>
    /// The mounts on <paramref name="path"/>, bottom first: each one stacked on the same point has the one below
    /// as its parent, so the top is the one no other mount there sits on.
    /// </summary>
    public static List<MountEntry> StackAt(IReadOnlyList<MountEntry> mounts, string path)
    {
        var here = mounts.Where(m => m.MountPoint == path).ToList();
        var ids = here.Select(m => m.Id).ToHashSet();
        var stack = new List<MountEntry>(here.Count);
        var current = here.FirstOrDefault(m => !ids.Contains(m.ParentId));
        while (current is not null && stack.Count < here.Count)
        {
            stack.Add(current);
            var below = current.Id;
            current = here.FirstOrDefault(m => m.ParentId == below);
        }

        return stack;
    }

    /// <summary>Space, tab, newline and backslash are written as octal escapes (<c>\040</c>).</summary>
    private static string Unescape(string field) => !field.Contains('\\', StringComparison.Ordinal)
        ? field
        : field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
}
