using System.Globalization;
using Grpc.Core;
using Microsoft.Win32.SafeHandles;

namespace Connectors.Modules.Csi;

/// <summary>
/// A volume target opened without following any symbolic link below its root (kubelet's pods directory, or
/// <c>/</c> in embedded mode). On Linux each component is opened with openat(O_PATH | O_NOFOLLOW | O_DIRECTORY)
/// from the one before, so the directory held is the one checked even if a component is swapped for a link
/// meanwhile, and later work goes through <see cref="WorkPath"/> (<c>/proc/self/fd/N</c>), which stays on it.
/// Elsewhere each component is checked with lstat semantics and the path itself is used.
/// </summary>
internal sealed class TargetDirectory : IDisposable
{
    private readonly SafeFileHandle? _handle;
    private readonly SafeFileHandle? _parent;

    private TargetDirectory(string path, string realPath, bool created, SafeFileHandle? parent, SafeFileHandle? handle)
    {
        Path = path;
        RealPath = realPath;
        Created = created;
        _parent = parent;
        _handle = handle;
    }

    /// <summary>The target as requested.</summary>
    public string Path { get; }

    /// <summary>Where the kernel has it (the form of mount points in <c>/proc/self/mountinfo</c>): the request with its root resolved.</summary>
    public string RealPath { get; }

    /// <summary>Whether <see cref="Open"/> created the last component.</summary>
    public bool Created { get; }

    /// <summary>The path to read and write the directory's content by.</summary>
    public string WorkPath => _handle is null ? Path : ProcPath(_handle);

    /// <summary>The path to remove the directory itself by (through its parent).</summary>
    public string EntryPath => _parent is null ? Path : ProcPath(_parent) + "/" + System.IO.Path.GetFileName(Path);

    /// <summary>The id of the mount the open directory is on (its top mount when it is a mount point); null off Linux.</summary>
    public int? MountId => _handle is null ? null : ReadMountId(_handle);

    /// <summary>Opens <paramref name="target"/>, a path strictly below <paramref name="root"/>.</summary>
    /// <param name="target">An absolute path without <c>.</c> or <c>..</c> segments (see <see cref="VolumePaths"/>).</param>
    /// <param name="root">The trusted root: <c>/</c>, or kubelet's pods directory (which may itself be reached through a link).</param>
    /// <param name="create">Create the last component when it is missing.</param>
    /// <returns>Null when the target (or, without <paramref name="create"/>, a parent) does not exist.</returns>
    /// <exception cref="RpcException">INVALID_ARGUMENT: a component is a symbolic link or not a directory, or the target moved while it was opened. FAILED_PRECONDITION: with <paramref name="create"/>, the parent does not exist.</exception>
    /// <exception cref="IOException">The file system refused otherwise.</exception>
    public static TargetDirectory? Open(string target, string root, bool create)
    {
        var relative = root == "/" ? target[1..] : target[(root.Length + 1)..];
        var names = relative.Split('/');
        return OperatingSystem.IsLinux() ? OpenPinned(target, root, names, create) : OpenByPath(target, root, names, create);
    }

    public void Dispose()
    {
        _handle?.Dispose();
        _parent?.Dispose();
    }

    private static TargetDirectory? OpenPinned(string target, string root, string[] names, bool create)
    {
        var current = NativeMethods.OpenDirectory(root, out var errno);
        if (current is null)
        {
            return errno == NativeMethods.ENoEnt && !create ? null
                : throw new RpcException(new Status(StatusCode.FailedPrecondition, $"cannot open {root}, the root of every target_path: {NativeMethods.ErrorMessage(errno)}"));
        }

        var realRoot = new FileInfo(ProcPath(current)).LinkTarget ?? root;
        SafeFileHandle? parent = null;
        var created = false;
        try
        {
            for (var i = 0; i < names.Length; i++)
            {
                var last = i == names.Length - 1;
                var next = NativeMethods.OpenChildDirectory(current, names[i], out errno);
                if (next is null && errno == NativeMethods.ENoEnt && last && create)
                {
                    Directory.CreateDirectory(ProcPath(current) + "/" + names[i]);
                    created = true;
                    next = NativeMethods.OpenChildDirectory(current, names[i], out errno);
                }

                if (next is null)
                {
                    _ = Missing(target, root, names, i, errno, create);
                    current.Dispose();
                    return null;
                }

                if (last)
                {
                    parent = current;
                }
                else
                {
                    current.Dispose();
                }

                current = next;
            }

            var real = new FileInfo(ProcPath(current)).LinkTarget;
            var expected = (realRoot == "/" ? string.Empty : realRoot) + "/" + string.Join('/', names);
            if (real != expected)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"invalid target_path \"{target}\": it moved while it was being opened (now at {real})"));
            }

            return new TargetDirectory(target, real, created, parent, current);
        }
        catch
        {
            current.Dispose();
            parent?.Dispose();
            throw;
        }
    }

    private static TargetDirectory? OpenByPath(string target, string root, string[] names, bool create)
    {
        var created = false;
        for (var i = 0; i < names.Length; i++)
        {
            var path = Prefix(root, names, i);
            var info = new DirectoryInfo(path);
            if (info.LinkTarget is not null || (!info.Exists && File.Exists(path)))
            {
                throw Refused(target, root, path);
            }

            if (!info.Exists)
            {
                if (i < names.Length - 1 || !create)
                {
                    return Missing(target, root, names, i, NativeMethods.ENoEnt, create);
                }

                Directory.CreateDirectory(path);
                created = true;
            }
        }

        return new TargetDirectory(target, target, created, null, null);
    }

    private static TargetDirectory? Missing(string target, string root, string[] names, int index, int errno, bool create)
    {
        if (errno is NativeMethods.ENotDir or NativeMethods.ELoop)
        {
            throw Refused(target, root, Prefix(root, names, index));
        }

        if (errno != NativeMethods.ENoEnt)
        {
            throw new IOException($"open {Prefix(root, names, index)}: {NativeMethods.ErrorMessage(errno)}");
        }

        return create
            ? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"the parent of target_path {target} does not exist"))
            : null;
    }

    private static RpcException Refused(string target, string root, string path)
    {
        var what = new FileInfo(path).LinkTarget is { } link ? $"{path} is a symbolic link (to {link})" : $"{path} is not a directory";
        var below = root == "/" ? string.Empty : $" below kubelet's pods directory {root}";
        return new RpcException(new Status(StatusCode.InvalidArgument,
            $"invalid target_path \"{target}\": {what}; connectors-csi publishes only into real directories, with no symbolic link{below}"));
    }

    private static string Prefix(string root, string[] names, int index) =>
        (root == "/" ? string.Empty : root) + "/" + string.Join('/', names, 0, index + 1);

    private static string ProcPath(SafeFileHandle handle) =>
        "/proc/self/fd/" + handle.DangerousGetHandle().ToInt64().ToString(CultureInfo.InvariantCulture);

    /// <summary><c>mnt_id</c> of <c>/proc/self/fdinfo/N</c> (proc(5), Linux 3.15 and later).</summary>
    private static int? ReadMountId(SafeFileHandle handle)
    {
        var fdinfo = "/proc/self/fdinfo/" + handle.DangerousGetHandle().ToInt64().ToString(CultureInfo.InvariantCulture);
        foreach (var line in File.ReadLines(fdinfo))
        {
            if (line.StartsWith("mnt_id:", StringComparison.Ordinal)
                && int.TryParse(line.AsSpan(7).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return id;
            }
        }

        return null;
    }
}
