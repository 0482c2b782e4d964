using Connectors.Modules.Csi.V1;

namespace Connectors.Modules.Csi;

/// <summary>
/// Calls a CSI driver's Identity and Node services over its unix socket with the requests kubelet sends for an
/// inline ephemeral volume (mount capability, SINGLE_NODE_WRITER, readonly). Used by <c>connectors csi</c>.
/// </summary>
public sealed class CsiDriverClient : IDisposable
{
    private readonly GrpcUnixClient _client;

    /// <param name="endpoint"><c>unix:///path</c> of the driver's socket.</param>
    /// <param name="timeout">Upper bound of one call.</param>
    /// <exception cref="FormatException">Not a unix socket endpoint.</exception>
    public CsiDriverClient(string endpoint, TimeSpan timeout)
    {
        SocketPath = CsiEndpoint.ParseUnixPath(endpoint);
        _client = new GrpcUnixClient(SocketPath, timeout);
    }

    public string SocketPath { get; }

    /// <summary>GetPluginInfo, Probe and NodeGetInfo.</summary>
    /// <exception cref="RpcException">The driver answered an error status.</exception>
    public async Task<CsiDriverInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        var plugin = await _client.CallAsync(CsiMethods.GetPluginInfo, new GetPluginInfoRequest(), GetPluginInfoResponse.Parser, cancellationToken);
        var probe = await _client.CallAsync(CsiMethods.Probe, new ProbeRequest(), ProbeResponse.Parser, cancellationToken);
        var node = await _client.CallAsync(CsiMethods.NodeGetInfo, new NodeGetInfoRequest(), NodeGetInfoResponse.Parser, cancellationToken);
        return new CsiDriverInfo(plugin.Name, plugin.VendorVersion, node.NodeId, probe.Ready ?? false);
    }

    /// <summary>NodePublishVolume of an inline volume with <paramref name="volumeContext"/> (attributes and pod info).</summary>
    /// <exception cref="RpcException">The driver answered an error status.</exception>
    public async Task PublishAsync(string volumeId, string targetPath, IReadOnlyDictionary<string, string> volumeContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volumeContext);
        var request = new NodePublishVolumeRequest
        {
            VolumeId = volumeId,
            TargetPath = targetPath,
            Readonly = true,
            VolumeCapability = new VolumeCapability
            {
                Mount = new VolumeCapability.Types.MountVolume(),
                AccessMode = new VolumeCapability.Types.AccessMode { Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter },
            },
        };
        foreach (var (key, value) in volumeContext)
        {
            request.VolumeContext[key] = value;
        }
        await _client.CallAsync(CsiMethods.NodePublishVolume, request, NodePublishVolumeResponse.Parser, cancellationToken);
    }

    /// <summary>NodeUnpublishVolume.</summary>
    /// <exception cref="RpcException">The driver answered an error status.</exception>
    public async Task UnpublishAsync(string volumeId, string targetPath, CancellationToken cancellationToken) =>
        await _client.CallAsync(CsiMethods.NodeUnpublishVolume, new NodeUnpublishVolumeRequest { VolumeId = volumeId, TargetPath = targetPath },
            NodeUnpublishVolumeResponse.Parser, cancellationToken);

    public void Dispose() => _client.Dispose();
}
