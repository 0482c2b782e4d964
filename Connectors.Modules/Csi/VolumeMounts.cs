using Grpc.Core;
namespace Connectors.Modules.Csi;

/// <summary>
/// The driver's tmpfs mounts at a target. A mount is the driver's when it is a tmpfs with source
/// <see cref="NativeMethods.MountSource"/>, or (mounted by a version that named the source <c>tmpfs</c>) a tmpfs on
/// top holding exactly a published volume. Any other mount is left alone.
/// </summary>
internal static class VolumeMounts
{
    /// <summary>More mounts stacked on one target than any sequence of publishes makes.</summary>
    private const int MaxStack = 16;

    /// <summary>Whether <paramref name="top"/>, the top mount at <paramref name="directory"/> (opened on it), is the driver's.</summary>
    public static bool IsDrivers(MountEntry top, TargetDirectory directory) =>
        top.IsDrivers
        || (top is { FileSystem: "tmpfs", Source: "tmpfs" } && AtomicWriter.HasData(directory.WorkPath) && AtomicWriter.IsVolumeOrEmpty(directory.WorkPath));

    /// <summary>
    /// Mounts a tmpfs on the open <paramref name="directory"/> and returns it opened again, on the new mount. The
    /// mount must show in <c>/proc/self/mountinfo</c> as the new top mount at the directory's path, and the opened
    /// directory must be on it; otherwise the mount is taken back and the call fails.
    /// </summary>
    /// <exception cref="RpcException">INVALID_ARGUMENT: the target changed while it was mounted.</exception>
    public static TargetDirectory Mount(TargetDirectory directory, string root, long sizeBytes)
    {
        var before = MountTable.Read().Select(m => m.Id).ToHashSet();
        NativeMethods.MountTmpfs(directory.WorkPath, sizeBytes);
        TargetDirectory? mounted;
        try
        {
            mounted = TargetDirectory.Open(directory.Path, root, create: false);
        }
        catch (Exception e) when (e is RpcException or IOException or UnauthorizedAccessException)
        {
            // Whatever stops the re-open, the mount just made is taken back below.
            mounted = null;
        }

        var top = MountTable.StackAt(MountTable.Read(), directory.RealPath).LastOrDefault();
        if (mounted is not null && top is { IsDrivers: true } && !before.Contains(top.Id) && mounted.MountId == top.Id)
        {
            return mounted;
        }

        mounted?.Dispose();
        // The mount sits on the directory held open, wherever that is now.
        var landed = new FileInfo(directory.WorkPath).LinkTarget;
        foreach (var mount in MountTable.Read().Where(m => m.IsDrivers && !before.Contains(m.Id) && m.MountPoint == landed))
        {
            NativeMethods.Unmount(mount.MountPoint);
        }

        throw new RpcException(new Status(StatusCode.InvalidArgument, $"invalid target_path \"{directory.Path}\": it changed while the volume was mounted on it; the mount was taken back"));
    }

    /// <summary>
    /// Unmounts every mount of the driver stacked at <paramref name="target"/>, from the top, and stops at the first
    /// mount it did not make.
    /// </summary>
    /// <returns>Null when no mount is left at the target (or there is no target); else the mount on top, which is not the driver's and has none of the driver's below it.</returns>
    /// <exception cref="RpcException">FAILED_PRECONDITION: a mount the driver did not make covers one of the driver's.</exception>
    public static MountEntry? RemoveAll(string target, string root)
    {
        for (var i = 0; i < MaxStack; i++)
        {
            string path;
            using (var directory = TargetDirectory.Open(target, root, create: false))
            {
                if (directory is null)
                {
                    return null;
                }

                var stack = MountTable.StackAt(MountTable.Read(), directory.RealPath);
                if (stack.Count == 0)
                {
                    return null;
                }

                var top = stack[^1];
                if (!IsDrivers(top, directory))
                {
                    return !stack.Any(m => m.IsDrivers) ? top : throw new RpcException(new Status(StatusCode.FailedPrecondition,
                        $"target_path {target} holds a connectors-csi volume under a {top} mount that connectors-csi did not make: leaving both"));
                }

                if (directory.MountId != top.Id)
                {
                    continue;
                }

                path = directory.RealPath;
            }

            // The directory is closed first: its handle would keep the mount busy.
            NativeMethods.Unmount(path);
        }

        throw new IOException($"more than {MaxStack} mounts are stacked at {target}");
    }
}
