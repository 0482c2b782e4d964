using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Connectors.Modules.Csi;

/// <summary>
/// The few libc calls .NET does not wrap: rename(2) of a symlink, mount(2), umount2(2) and the openat(2) walk
/// that opens a directory without following symbolic links.
/// </summary>
internal static class NativeMethods
{
    /// <summary>The source name of every tmpfs this driver mounts: how <see cref="MountTable"/> tells its mounts from others.</summary>
    public const string MountSource = "connectors-csi";

    public const ulong MsNoSuid = 2;
    public const ulong MsNoDev = 4;
    public const ulong MsNoExec = 8;
    public const int MntDetach = 2;
    public const int UmountNoFollow = 8;
    public const int ENoEnt = 2;
    public const int ENotDir = 20;
    public const int ELoop = 40;

    private const int OPath = 0x200000;
    private const int OCloExec = 0x80000;

    // O_DIRECTORY and O_NOFOLLOW differ by architecture: arm, arm64 and powerpc use their own values, the rest the
    // asm-generic ones (x86_64, s390x, riscv64, loongarch64).
    private static readonly bool OwnOpenFlags = RuntimeInformation.ProcessArchitecture
        is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 or Architecture.Ppc64le;

    private static readonly int ODirectory = OwnOpenFlags ? 0x4000 : 0x10000;
    private static readonly int ONoFollow = OwnOpenFlags ? 0x8000 : 0x20000;

    /// <summary>rename(2): atomic, and acts on a symlink itself (File.Move would follow it to the directory).</summary>
    public static void Rename(string from, string to)
    {
        if (rename(from, to) != 0)
        {
            throw new IOException($"rename {from} -> {to}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    /// <summary>Mounts a tmpfs with source <see cref="MountSource"/> on <paramref name="target"/> (a <c>/proc/self/fd/N</c> path pins the directory).</summary>
    public static void MountTmpfs(string target, long sizeBytes)
    {
        if (mount(MountSource, target, "tmpfs", MsNoSuid | MsNoDev | MsNoExec, $"size={sizeBytes},mode=0755") != 0)
        {
            throw new IOException($"mount tmpfs: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    /// <summary>
    /// Unmounts the top mount at <paramref name="path"/> without following a symlink in its last component; when
    /// busy (a reader still has a file open) detaches lazily as kubelet's cleanup would.
    /// </summary>
    public static void Unmount(string path)
    {
        if (umount2(path, UmountNoFollow) != 0 && umount2(path, UmountNoFollow | MntDetach) != 0)
        {
            throw new IOException($"umount {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    /// <summary>open(2) of a directory as an <c>O_PATH</c> handle, following symlinks (for a trusted root).</summary>
    /// <returns>The handle, or null with <paramref name="errno"/> set.</returns>
    public static SafeFileHandle? OpenDirectory(string path, out int errno) =>
        Wrap(open(path, OPath | ODirectory | OCloExec), out errno);

    /// <summary>openat(2) of the entry <paramref name="name"/> of <paramref name="directory"/> as an <c>O_PATH</c> directory handle, refusing a symlink (ENOTDIR or ELOOP).</summary>
    /// <returns>The handle, or null with <paramref name="errno"/> set.</returns>
    public static SafeFileHandle? OpenChildDirectory(SafeFileHandle directory, string name, out int errno)
    {
        var added = false;
        try
        {
            directory.DangerousAddRef(ref added);
            return Wrap(openat((int)directory.DangerousGetHandle(), name, OPath | ODirectory | ONoFollow | OCloExec), out errno);
        }
        finally
        {
            if (added)
            {
                directory.DangerousRelease();
            }
        }
    }

    public static string ErrorMessage(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    private static SafeFileHandle? Wrap(int fd, out int errno)
    {
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    [DllImport("libc", EntryPoint = "rename", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int rename(string oldpath, string newpath);

    [DllImport("libc", EntryPoint = "mount", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int mount(string source, string target, string fstype, ulong flags, string data);

    [DllImport("libc", EntryPoint = "umount2", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int umount2(string target, int flags);

    [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int open(string path, int flags);

    [DllImport("libc", EntryPoint = "openat", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int openat(int dirfd, string path, int flags);
}
