using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Connectors.Modules.Observability;

/// <summary>
/// Listens to every <see cref="Meter"/> whose name starts with <c>Connectors</c> and keeps the current value of
/// each instrument and label set, so <see cref="PrometheusTextWriter"/> can expose them on <c>/metrics</c>.
/// </summary>
public sealed class MetricsCollector : IDisposable
{
    /// <summary>Prefix of the meter names this collector listens to.</summary>
    public const string MeterPrefix = "Connectors";

    private static readonly double[] DefaultBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _states = new();

    public MetricsCollector()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith(MeterPrefix, StringComparison.Ordinal))
            {
                _states.TryAdd(instrument, new InstrumentState(instrument, BucketsFor(instrument)));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Instruments seen so far, with their series, after polling observable instruments.</summary>
    public IReadOnlyCollection<InstrumentState> Snapshot()
    {
        foreach (var state in _states.Values)
        {
            if (state.IsObservable)
            {
                state.ResetObservations();
            }
        }

        _listener.RecordObservableInstruments();
        return _states.Values.OrderBy(s => s.Instrument.Name, StringComparer.Ordinal).ToArray();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_states.TryGetValue(instrument, out var state))
        {
            state.Record(value, tags);
        }
    }

    private static double[] BucketsFor(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { } b } => [.. b],
        Histogram<long> { Advice.HistogramBucketBoundaries: { } b } => [.. b.Select(x => (double)x)],
        Histogram<int> { Advice.HistogramBucketBoundaries: { } b } => [.. b.Select(x => (double)x)],
        _ => DefaultBuckets,
    };
}
