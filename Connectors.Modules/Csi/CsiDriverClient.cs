using Connectors.Modules.Csi.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Connectors.Modules.Csi;

/// <summary>
/// Calls a CSI driver's Identity and Node services over its unix socket with the requests kubelet sends for an
/// inline ephemeral volume (mount capability, SINGLE_NODE_WRITER, readonly). Used by <c>connectors csi</c>.
/// </summary>
public sealed class CsiDriverClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Identity.IdentityClient _identity;
    private readonly Node.NodeClient _node;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <param name="endpoint"><c>unix:///path</c> of the driver's socket.</param>
    /// <param name="timeout">Upper bound of one call (its gRPC deadline).</param>
    /// <exception cref="FormatException">Not a unix socket endpoint.</exception>
    public CsiDriverClient(string endpoint, TimeSpan timeout)
        : this(endpoint, timeout, TimeProvider.System)
    {
    }

    internal CsiDriverClient(string endpoint, TimeSpan timeout, TimeProvider time)
    {
        SocketPath = CsiEndpoint.ParseUnixPath(endpoint);
        _channel = CsiChannel.ForUnixSocket(SocketPath);
        _identity = new Identity.IdentityClient(_channel);
        _node = new Node.NodeClient(_channel);
        _timeout = timeout;
        _time = time;
    }

    public string SocketPath { get; }

    /// <summary>GetPluginInfo, Probe and NodeGetInfo.</summary>
    /// <exception cref="RpcException">The driver answered an error status, or could not be reached (<c>UNAVAILABLE</c>).</exception>
    public async Task<CsiDriverInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        var plugin = await _identity.GetPluginInfoAsync(new GetPluginInfoRequest(), Options(cancellationToken));
        var probe = await _identity.ProbeAsync(new ProbeRequest(), Options(cancellationToken));
        var node = await _node.NodeGetInfoAsync(new NodeGetInfoRequest(), Options(cancellationToken));
        return new CsiDriverInfo(plugin.Name, plugin.VendorVersion, node.NodeId, probe.Ready ?? false);
    }

    /// <summary>NodePublishVolume of an inline volume with <paramref name="volumeContext"/> (attributes and pod info).</summary>
    /// <exception cref="RpcException">The driver answered an error status, or could not be reached (<c>UNAVAILABLE</c>).</exception>
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

        await _node.NodePublishVolumeAsync(request, Options(cancellationToken));
    }

    /// <summary>NodeUnpublishVolume.</summary>
    /// <exception cref="RpcException">The driver answered an error status, or could not be reached (<c>UNAVAILABLE</c>).</exception>
    public async Task UnpublishAsync(string volumeId, string targetPath, CancellationToken cancellationToken) =>
        await _node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = volumeId, TargetPath = targetPath }, Options(cancellationToken));

    public void Dispose() => _channel.Dispose();

    private CallOptions Options(CancellationToken cancellationToken) =>
        new(deadline: _time.GetUtcNow().UtcDateTime + _timeout, cancellationToken: cancellationToken);
}
