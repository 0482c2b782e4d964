using System.Runtime.InteropServices;

namespace Connectors.Modules.Csi;

/// <summary>The few libc calls .NET does not wrap: rename(2) of a symlink, mount(2) and umount2(2).</summary>
internal static class NativeMethods
{
    public const ulong MsNoSuid = 2;
    public const ulong MsNoDev = 4;
    public const ulong MsNoExec = 8;
    public const int MntDetach = 2;

    /// <summary>rename(2): atomic, and acts on a symlink itself (File.Move would follow it to the directory).</summary>
    public static void Rename(string from, string to)
    {
        if (rename(from, to) != 0)
        {
            throw new IOException($"rename {from} -> {to}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    public static void MountTmpfs(string target, long sizeBytes)
    {
        if (mount("tmpfs", target, "tmpfs", MsNoSuid | MsNoDev | MsNoExec, $"size={sizeBytes},mode=0755") != 0)
        {
            throw new IOException($"mount tmpfs at {target}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    /// <summary>Unmounts; when busy (a reader still has a file open) detaches lazily as kubelet's cleanup would.</summary>
    public static void Unmount(string target)
    {
        if (umount2(target, 0) != 0 && umount2(target, MntDetach) != 0)
        {
            throw new IOException($"umount {target}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    [DllImport("libc", EntryPoint = "rename", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int rename(string oldpath, string newpath);

    [DllImport("libc", EntryPoint = "mount", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int mount(string source, string target, string fstype, ulong flags, string data);

    [DllImport("libc", EntryPoint = "umount2", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int umount2(string target, int flags);
}
