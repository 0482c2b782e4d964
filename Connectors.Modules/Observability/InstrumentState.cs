using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Connectors.Modules.Observability;

/// <summary>The series of one instrument, keyed by their sorted label set.</summary>
public sealed class InstrumentState
{
    private readonly ConcurrentDictionary<LabelSet, Series> _series = new();
    private readonly double[] _buckets;

    internal InstrumentState(Instrument instrument, double[] buckets)
    {
        Instrument = instrument;
        _buckets = buckets;
        Kind = instrument switch
        {
            Histogram<double> or Histogram<long> or Histogram<int> => InstrumentKind.Histogram,
            Counter<double> or Counter<long> or Counter<int> or ObservableCounter<double> or ObservableCounter<long> or ObservableCounter<int> => InstrumentKind.Counter,
            _ => InstrumentKind.Gauge,
        };
        IsObservable = instrument.IsObservable;
    }

    public Instrument Instrument { get; }

    public InstrumentKind Kind { get; }

    public bool IsObservable { get; }

    public IReadOnlyList<double> Buckets => _buckets;

    public IEnumerable<KeyValuePair<LabelSet, Series>> Series => _series.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal);

    internal void ResetObservations() => _series.Clear();

    internal void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = _series.GetOrAdd(LabelSet.From(tags), static (_, buckets) => new Series(buckets), _buckets.Length);
        switch (Kind)
        {
            case InstrumentKind.Histogram:
                series.Observe(value, _buckets);
                break;
            case InstrumentKind.Counter when IsObservable:
            case InstrumentKind.Gauge when IsObservable:
                series.Set(value);
                break;
            default:
                series.Add(value);
                break;
        }
    }
}
