using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Connectors.Modules.Controller;

/// <summary>
/// Meter <c>Connectors.Controller</c>: reconciles by kind and result, reconcile duration, queue depth by kind,
/// probe outcomes by class and probe.
/// </summary>
internal sealed class ControllerMetrics : IDisposable
{
    public const string MeterName = "Connectors.Controller";
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _reconciles;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _probes;
    private readonly List<(string Kind, Func<int> Depth)> _queues = [];
    private readonly Lock _lock = new();

    public ControllerMetrics()
    {
        _reconciles = _meter.CreateCounter<long>("connectors.controller.reconciles", null, "Reconciles by kind and result (success, requeue, error).");
        _duration = _meter.CreateHistogram<double>("connectors.controller.reconcile.duration", "s", "Time one reconcile took, probes included.");
        _probes = _meter.CreateCounter<long>("connectors.controller.probes", null, "Probes by connector class, probe (liveness, auth, api) and outcome.");
        _meter.CreateObservableGauge("connectors.controller.queue.depth", ObserveDepth, null, "Keys waiting for a worker, by kind.");
    }

    public void Reconciled(string kind, string result, TimeSpan elapsed)
    {
        var tags = new TagList { { "kind", kind }, { "result", result } };
        _reconciles.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, new TagList { { "kind", kind } });
    }

    public void Probed(string connectorClass, string probe, string outcome) =>
        _probes.Add(1, new TagList { { "class", connectorClass }, { "probe", probe }, { "outcome", outcome } });

    public void TrackQueue(string kind, Func<int> depth)
    {
        lock (_lock)
        {
            _queues.Add((kind, depth));
        }
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveDepth()
    {
        lock (_lock)
        {
            return [.. _queues.Select(q => new Measurement<long>(q.Depth(), new KeyValuePair<string, object?>("kind", q.Kind)))];
        }
    }
}
