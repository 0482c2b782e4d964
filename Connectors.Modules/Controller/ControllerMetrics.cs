using System.Diagnostics;
using System.Diagnostics.Metrics;
using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>
/// Meter <c>Connectors.Controller</c>: reconciles by kind and result, reconcile duration, queue depth by kind,
/// probe outcomes by class and probe, Connectors by Ready status.
/// </summary>
internal sealed class ControllerMetrics : IDisposable
{
    public const string MeterName = "Connectors.Controller";

    /// <summary>Spans of reconciles (exported when an OTLP endpoint is configured).</summary>
    public static readonly ActivitySource Source = new(MeterName);
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _reconciles;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _probes;
    private readonly List<(string Kind, Func<int> Depth)> _queues = [];
    private Func<IReadOnlyList<Connector>>? _connectors;
    private readonly Lock _lock = new();

    public ControllerMetrics()
    {
        _reconciles = _meter.CreateCounter<long>("connectors.controller.reconciles", null, "Reconciles by kind and result (success, requeue, error).");
        _duration = _meter.CreateHistogram<double>("connectors.controller.reconcile.duration", "s", "Time one reconcile took, probes included.");
        _probes = _meter.CreateCounter<long>("connectors.controller.probes", null, "Probes by connector class, probe (liveness, auth, api) and outcome.");
        _meter.CreateObservableGauge("connectors.controller.queue.depth", ObserveDepth, null, "Keys waiting for a worker, by kind.");
        _meter.CreateObservableGauge("connectors.controller.connectors", ObserveConnectors, "{connector}",
            "Connectors in the controller's cache by their Ready condition (True, False, Unknown) and its reason.");
    }

    /// <summary>Counts <paramref name="connectors"/> (the controller's watch cache) by Ready status on each scrape.</summary>
    public void TrackConnectors(Func<IReadOnlyList<Connector>> connectors) => _connectors = connectors;

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

    private IEnumerable<Measurement<long>> ObserveConnectors()
    {
        if (_connectors is not { } list)
        {
            return [];
        }

        return list()
            .Select(c => c.Status?.Conditions?.FirstOrDefault(x => x.Type == ConditionTypes.Ready))
            .GroupBy(ready => (Status: ready?.Status ?? ConditionStatus.Unknown, Reason: ready?.Reason ?? ""))
            .Select(g => new Measurement<long>(g.LongCount(), new KeyValuePair<string, object?>("ready", g.Key.Status), new KeyValuePair<string, object?>("reason", g.Key.Reason)))
            .ToArray();
    }

    private IEnumerable<Measurement<long>> ObserveDepth()
    {
        lock (_lock)
        {
            return [.. _queues.Select(q => new Measurement<long>(q.Depth(), new KeyValuePair<string, object?>("kind", q.Kind)))];
        }
    }
}
