using Connectors.Modules.Csi.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Csi;

/// <summary>CSI Node: publish and unpublish inline ephemeral volumes; no staging, no stats.</summary>
internal sealed partial class NodeService(VolumePublisher publisher, CsiMetrics metrics, IOptions<CsiOptions> options, TimeProvider time, ILogger<NodeService> logger)
{
    public string NodeId { get; } = options.Value.NodeId is { Length: > 0 } id ? id
        : Environment.GetEnvironmentVariable("NODE_NAME") is { Length: > 0 } node ? node : Environment.MachineName;

    public async Task<NodePublishVolumeResponse> NodePublishVolumeAsync(NodePublishVolumeRequest request, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["VolumeId"] = request.VolumeId });
        var republish = false;
        VolumeRequest? volume = null;
        try
        {
            volume = VolumeRequestParser.Parse(request, options.Value);
            republish = await publisher.PublishAsync(volume, cancellationToken);
            metrics.Published(GrpcStatusCode.OK, republish, time.GetElapsedTime(started));
            Log.Published(logger, request.VolumeId, volume.Pod.Namespace, volume.Pod.Name, string.Join(",", volume.Connectors), republish);
            return new NodePublishVolumeResponse();
        }
        catch (RpcException e)
        {
            // A failed re-publish keeps the previous files, so a target that still holds data was a re-publish
            // (a refused target is not looked into: it may lead elsewhere).
            republish = volume is not null && e.Status != GrpcStatusCode.InvalidArgument && Directory.Exists(volume.TargetPath) && AtomicWriter.HasData(volume.TargetPath);
            metrics.Published(e.Status, republish, time.GetElapsedTime(started));
            Log.PublishFailed(logger, request.VolumeId, e.Status, e.Message);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            metrics.Published(GrpcStatusCode.DeadlineExceeded, republish, time.GetElapsedTime(started));
            throw;
        }
    }

    public async Task<NodeUnpublishVolumeResponse> NodeUnpublishVolumeAsync(NodeUnpublishVolumeRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var target = VolumePaths.Check(request.VolumeId, request.TargetPath, options.Value);
            if (await publisher.UnpublishAsync(target, cancellationToken) is { } foreign)
            {
                Log.LeftForeignMount(logger, request.VolumeId, foreign.ToString());
            }

            metrics.Unpublished(GrpcStatusCode.OK);
            Log.Unpublished(logger, request.VolumeId);
            return new NodeUnpublishVolumeResponse();
        }
        catch (RpcException e)
        {
            metrics.Unpublished(e.Status);
            Log.UnpublishFailed(logger, request.VolumeId, e.Status, e.Message);
            throw;
        }
    }

    /// <summary>No optional node capabilities: no STAGE_UNSTAGE_VOLUME, so kubelet calls publish directly.</summary>
    public static Task<NodeGetCapabilitiesResponse> NodeGetCapabilitiesAsync(NodeGetCapabilitiesRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new NodeGetCapabilitiesResponse());

    public Task<NodeGetInfoResponse> NodeGetInfoAsync(NodeGetInfoRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new NodeGetInfoResponse { NodeId = NodeId });

    private static partial class Log
    {
        [LoggerMessage(7101, LogLevel.Information, "Published volume {VolumeId} for pod {PodNamespace}/{PodName} with connectors {Connectors} (republish {Republish})")]
        public static partial void Published(ILogger logger, string volumeId, string podNamespace, string? podName, string connectors, bool republish);

        [LoggerMessage(7102, LogLevel.Warning, "Publish of volume {VolumeId} failed: {Status} {Reason}")]
        public static partial void PublishFailed(ILogger logger, string volumeId, GrpcStatusCode status, string reason);

        [LoggerMessage(7103, LogLevel.Information, "Unpublished volume {VolumeId}")]
        public static partial void Unpublished(ILogger logger, string volumeId);

        [LoggerMessage(7105, LogLevel.Warning, "Unpublish of volume {VolumeId}: the target is a {Mount} mount connectors-csi did not make; left it in place")]
        public static partial void LeftForeignMount(ILogger logger, string volumeId, string mount);

        [LoggerMessage(7104, LogLevel.Warning, "Unpublish of volume {VolumeId} failed: {Status} {Reason}")]
        public static partial void UnpublishFailed(ILogger logger, string volumeId, GrpcStatusCode status, string reason);
    }
}
