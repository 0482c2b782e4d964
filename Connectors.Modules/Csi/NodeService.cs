using Connectors.Modules.Csi.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Csi;

/// <summary>CSI Node: publish and unpublish inline ephemeral volumes; no staging, no stats.</summary>
internal sealed partial class NodeService(VolumePublisher publisher, CsiMetrics metrics, IOptions<CsiOptions> options, TimeProvider time, ILogger<NodeService> logger)
    : Node.NodeBase
{
    public string NodeId { get; } = options.Value.NodeId is { Length: > 0 } id ? id
        : Environment.GetEnvironmentVariable("NODE_NAME") is { Length: > 0 } node ? node : Environment.MachineName;

    public override async Task<NodePublishVolumeResponse> NodePublishVolume(NodePublishVolumeRequest request, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        var started = time.GetTimestamp();
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["VolumeId"] = request.VolumeId });
        using var activity = CsiMetrics.Source.StartActivity("csi publish");
        activity?.SetTag("connectors.volume_id", request.VolumeId);
        var republish = false;
        VolumeRequest? volume = null;
        try
        {
            volume = VolumeRequestParser.Parse(request, options.Value);
            activity?.SetTag("connectors.pod", $"{volume.Pod.Namespace}/{volume.Pod.Name}");
            activity?.SetTag("connectors.service_account", volume.Pod.ServiceAccount);
            activity?.SetTag("connectors.connectors", string.Join(",", volume.Connectors));
            republish = await publisher.PublishAsync(volume, cancellationToken);
            metrics.Published(StatusCode.OK, republish, time.GetElapsedTime(started));
            Log.Published(logger, request.VolumeId, volume.Pod.Namespace, volume.Pod.Name, string.Join(",", volume.Connectors), republish);
            return new NodePublishVolumeResponse();
        }
        catch (RpcException e)
        {
            // A failed re-publish keeps the previous files, so a target that still holds data was a re-publish
            // (a refused target is not looked into: it may lead elsewhere).
            republish = volume is not null && e.StatusCode != StatusCode.InvalidArgument && Directory.Exists(volume.TargetPath) && AtomicWriter.HasData(volume.TargetPath);
            metrics.Published(e.StatusCode, republish, time.GetElapsedTime(started));
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.StatusCode.ToString());
            Log.PublishFailed(logger, request.VolumeId, e.StatusCode, e.Status.Detail);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            metrics.Published(StatusCode.DeadlineExceeded, republish, time.GetElapsedTime(started));
            throw;
        }
    }

    public override async Task<NodeUnpublishVolumeResponse> NodeUnpublishVolume(NodeUnpublishVolumeRequest request, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        try
        {
            var target = VolumePaths.Check(request.VolumeId, request.TargetPath, options.Value);
            if (await publisher.UnpublishAsync(target, cancellationToken) is { } foreign)
            {
                Log.LeftForeignMount(logger, request.VolumeId, foreign.ToString());
            }

            metrics.Unpublished(StatusCode.OK);
            Log.Unpublished(logger, request.VolumeId);
            return new NodeUnpublishVolumeResponse();
        }
        catch (RpcException e)
        {
            metrics.Unpublished(e.StatusCode);
            Log.UnpublishFailed(logger, request.VolumeId, e.StatusCode, e.Status.Detail);
            throw;
        }
    }

    /// <summary>No optional node capabilities: no STAGE_UNSTAGE_VOLUME, so kubelet calls publish directly.</summary>
    public override Task<NodeGetCapabilitiesResponse> NodeGetCapabilities(NodeGetCapabilitiesRequest request, ServerCallContext context) =>
        Task.FromResult(new NodeGetCapabilitiesResponse());

    public override Task<NodeGetInfoResponse> NodeGetInfo(NodeGetInfoRequest request, ServerCallContext context) =>
        Task.FromResult(new NodeGetInfoResponse { NodeId = NodeId });

    private static partial class Log
    {
        [LoggerMessage(7101, LogLevel.Information, "Published volume {VolumeId} for pod {PodNamespace}/{PodName} with connectors {Connectors} (republish {Republish})")]
        public static partial void Published(ILogger logger, string volumeId, string podNamespace, string? podName, string connectors, bool republish);

        [LoggerMessage(7102, LogLevel.Warning, "Publish of volume {VolumeId} failed: {Status} {Reason}")]
        public static partial void PublishFailed(ILogger logger, string volumeId, StatusCode status, string reason);

        [LoggerMessage(7103, LogLevel.Information, "Unpublished volume {VolumeId}")]
        public static partial void Unpublished(ILogger logger, string volumeId);

        [LoggerMessage(7105, LogLevel.Warning, "Unpublish of volume {VolumeId}: the target is a {Mount} mount connectors-csi did not make; left it in place")]
        public static partial void LeftForeignMount(ILogger logger, string volumeId, string mount);

        [LoggerMessage(7104, LogLevel.Warning, "Unpublish of volume {VolumeId} failed: {Status} {Reason}")]
        public static partial void UnpublishFailed(ILogger logger, string volumeId, StatusCode status, string reason);
    }
}
