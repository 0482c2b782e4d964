using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;

namespace Connectors.Modules.Csi;

/// <summary>
/// Meter <c>Connectors.Csi</c>: publish and unpublish counts and latency by outcome (the gRPC status name).
/// Never labels with names of pods, connectors or files, and never sees file contents.
/// </summary>
internal sealed class CsiMetrics : IDisposable
{
    /// <summary>Spans of NodePublishVolume (exported when an OTLP endpoint is configured).</summary>
    public static readonly System.Diagnostics.ActivitySource Source = new("Connectors.Csi");

    private readonly Meter _meter = new("Connectors.Csi");
    private readonly Counter<long> _publishes;
    private readonly Histogram<double> _publishSeconds;
    private readonly Counter<long> _unpublishes;
    private long _volumeCalls;

    public CsiMetrics()
    {
        _publishes = _meter.CreateCounter<long>("connectors.csi.publish.requests", null, "NodePublishVolume calls by outcome.");
        _publishSeconds = _meter.CreateHistogram<double>("connectors.csi.publish.duration", "s", "NodePublishVolume latency by outcome.");
        _unpublishes = _meter.CreateCounter<long>("connectors.csi.unpublish.requests", null, "NodeUnpublishVolume calls by outcome.");
    }

    /// <summary>NodePublishVolume and NodeUnpublishVolume calls answered so far: how <see cref="IdleMemoryReleaser"/> tells a quiet driver.</summary>
    public long VolumeCalls => Interlocked.Read(ref _volumeCalls);

    public void Published(StatusCode outcome, bool republish, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _volumeCalls);
        var tags = new TagList { { "outcome", outcome.ToString() }, { "republish", republish ? "true" : "false" } };
        _publishes.Add(1, tags);
        _publishSeconds.Record(elapsed.TotalSeconds, tags);
    }

    public void Unpublished(StatusCode outcome)
    {
        Interlocked.Increment(ref _volumeCalls);
        _unpublishes.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString()));
    }

    public void Dispose() => _meter.Dispose();
}
