using System.Globalization;

namespace Connectors.Modules.Csi;

/// <summary>
/// Writes a volume's files the way kubelet's AtomicWriter does: the files go into a fresh hidden folder
/// <c>..&lt;timestamp&gt;.&lt;random&gt;</c>; the symlink <c>..data</c> is switched to it with one rename(2); each
/// visible name is a symlink <c>name -&gt; ..data/name</c>. A reader therefore sees either the complete old
/// set or the complete new set. Files are 0444. Entries starting with <c>..</c> belong to the writer.
/// </summary>
internal sealed class AtomicWriter(TimeProvider time)
{
    public const string DataLink = "..data";
    private const string DataLinkTemp = "..data_tmp";
    private const UnixFileMode ReadOnlyMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Whether <paramref name="target"/> already holds a published volume.</summary>
    public static bool HasData(string target) => new FileInfo(Path.Combine(target, DataLink)).LinkTarget is not null;

    /// <summary>Empty, or holding only entries this writer makes (a <c>..data</c> link, <c>..</c> folders, links into <c>..data</c>).</summary>
    public static bool IsVolumeOrEmpty(string target) => new DirectoryInfo(target).EnumerateFileSystemInfos().All(e =>
        e.Name.StartsWith("..", StringComparison.Ordinal)
        || e.LinkTarget?.StartsWith(DataLink + "/", StringComparison.Ordinal) == true);

    /// <summary>Replaces the content of <paramref name="target"/> (an existing directory) with <paramref name="files"/>.</summary>
    /// <exception cref="IOException">Nothing visible changed: the new folder was removed again.</exception>
    public void Write(string target, IReadOnlyDictionary<string, byte[]> files)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("volumes are written with unix file modes and symlinks");
        }

        var dataLink = Path.Combine(target, DataLink);
        var oldFolder = new FileInfo(dataLink).LinkTarget;
        var newFolder = "..";
        newFolder += time.GetUtcNow().ToString("yyyy_MM_dd_HH_mm_ss.", CultureInfo.InvariantCulture) + Path.GetRandomFileName().Replace(".", string.Empty, StringComparison.Ordinal);
        var newPath = Path.Combine(target, newFolder);
        var tempLink = Path.Combine(target, DataLinkTemp);
        try
        {
            Directory.CreateDirectory(newPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            foreach (var (name, content) in files)
            {
                WriteFile(Path.Combine(newPath, name), content);
            }

            File.Delete(tempLink);
            File.CreateSymbolicLink(tempLink, newFolder);
            NativeMethods.Rename(tempLink, dataLink);
        }
        catch
        {
            File.Delete(tempLink);
            DeleteFolder(newPath);
            throw;
        }

        LinkNames(target, files.Keys);
        if (oldFolder is not null && oldFolder != newFolder)
        {
            DeleteFolder(Path.Combine(target, oldFolder));
        }
    }

    /// <summary>Removes entries left by a writer that stopped half-way (folders and links starting with <c>..</c> other than the live ones).</summary>
    public static void RemoveLeftovers(string target)
    {
        var live = new FileInfo(Path.Combine(target, DataLink)).LinkTarget;
        foreach (var entry in new DirectoryInfo(target).EnumerateFileSystemInfos("..*"))
        {
            if (entry.Name != DataLink && entry.Name != live)
            {
                if (entry is DirectoryInfo && entry.LinkTarget is null)
                {
                    DeleteFolder(entry.FullName);
                }
                else
                {
                    entry.Delete();
                }
            }
        }
    }

    private static void WriteFile(string path, byte[] content)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("volumes are written with unix file modes");
        }

        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = ReadOnlyMode,
            PreallocationSize = content.Length,
        });
        stream.Write(content);
    }

    /// <summary>Adds <c>name -&gt; ..data/name</c> for new names and removes the links of names no longer present.</summary>
    private static void LinkNames(string target, IEnumerable<string> names)
    {
        var wanted = names.ToHashSet(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(target).EnumerateFileSystemInfos())
        {
            if (!entry.Name.StartsWith("..", StringComparison.Ordinal) && !wanted.Contains(entry.Name)
                && entry.LinkTarget is { } link && link.StartsWith(DataLink + "/", StringComparison.Ordinal))
            {
                entry.Delete();
            }
        }

        foreach (var name in wanted)
        {
            var link = Path.Combine(target, name);
            if (new FileInfo(link).LinkTarget is null)
            {
                File.CreateSymbolicLink(link, DataLink + "/" + name);
            }
        }
    }

    private static void DeleteFolder(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
