namespace Connectors.Modules.Csi;

/// <summary>Reads <c>/proc/self/mountinfo</c> to tell whether a path is a mount point.</summary>
internal static class MountTable
{
    public static bool IsMountPoint(string path)
    {
        const string MountInfo = "/proc/self/mountinfo";
        if (!File.Exists(MountInfo))
        {
            return false;
        }

        foreach (var line in File.ReadLines(MountInfo))
        {
            // Field 5 is the mount point, with space, tab, newline and backslash written as octal escapes.
            var fields = line.Split(' ', 6);
            if (fields.Length >= 5 && Unescape(fields[4]) == path)
            {
                return true;
            }
        }

        return false;
    }

    private static string Unescape(string field) => !field.Contains('\\', StringComparison.Ordinal)
        ? field
        : field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
}
