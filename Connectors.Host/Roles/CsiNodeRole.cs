using Connectors.Host.Cli;
using Connectors.Modules.Csi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Host.Roles;

/// <summary><c>--role csi-node</c>: the <c>connectors-csi</c> driver kubelet calls on each node's unix socket.</summary>
internal sealed class CsiNodeRole : IRole
{
    public string Name => "csi-node";

    public IReadOnlyList<Flag> Flags { get; } =
    [
        new("--csi-endpoint", "Csi:Endpoint", "gRPC endpoint of the CSI driver, registered with kubelet", "unix:///csi/csi.sock"),
        new("--node-id", "Csi:NodeId", "Node id NodeGetInfo answers; $NODE_NAME when empty"),
        new("--csi-tmpfs", "Csi:Tmpfs", "Mount a tmpfs at each volume target: auto (when running as root), true or false", "auto"),
        new("--csi-max-volume-bytes", "Csi:MaxVolumeBytes", "Largest total size of one volume's files, in bytes", "8388608"),
        new("--kubelet-pods-dir", "Csi:KubeletPodsDir", "kubelet's pods directory: every volume target must be a real directory below it, with no symbolic link (--embedded: any directory)", "/var/lib/kubelet/pods"),
        new("--csi-multi-connector", "Csi:MultiConnector", "Whether one volume may mount several connectors (enable-multi-connector)", "true"),
        new("--csi-release-idle-memory", "Csi:ReleaseIdleMemory", "Once ready, hand back the memory start-up used and idle does not need (the binary's resident pages, free GC and malloc space)", "true"),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddCsi();

    /// <summary>
    /// The idle-memory release is for a process running the csi-node role alone (the node DaemonSet): beside the
    /// proxy or the controller (<c>--role all</c>) its full collections and unmapped code would cost them, so there it
    /// is off unless <c>--csi-release-idle-memory</c> was given.
    /// </summary>
    public static void DefaultIdleMemoryRelease(IReadOnlyList<IRole> roles, IDictionary<string, string?> settings, bool given)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(settings);
        if (!given && roles.Count > 1 && roles.Any(r => r is CsiNodeRole))
        {
            settings["Csi:ReleaseIdleMemory"] = "false";
        }
    }
}
