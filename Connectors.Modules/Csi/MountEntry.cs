namespace Connectors.Modules.Csi;

/// <summary>One line of <c>/proc/self/mountinfo</c> (proc(5)): the fields the driver needs.</summary>
/// <param name="Id">The mount id (field 1).</param>
/// <param name="ParentId">The id of the mount this one sits on (field 2); the mount below it when stacked on the same point.</param>
/// <param name="MountPoint">Where it is mounted, relative to the process's root, unescaped (field 5).</param>
/// <param name="FileSystem">The file system type (first field after the <c>-</c> separator).</param>
/// <param name="Source">The mount source (second field after the separator), unescaped.</param>
internal sealed record MountEntry(int Id, int ParentId, string MountPoint, string FileSystem, string Source)
{
    /// <summary>A tmpfs this driver mounted: it names every tmpfs it mounts <see cref="NativeMethods.MountSource"/>.</summary>
    public bool IsDrivers => FileSystem == "tmpfs" && Source == NativeMethods.MountSource;

    /// <summary>How a message names a mount: <c>tmpfs from tmpfs</c>.</summary>
    public override string ToString() => $"{FileSystem} from {Source}";
}
