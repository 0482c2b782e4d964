using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Connectors.Tests.Support;

/// <summary>Collects the distinct values one label takes on the instruments of one meter while it lives.</summary>
internal sealed class MetricLabels : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, bool> _values = new();

    public MetricLabels(string meter, string label)
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) => Record(tags, label));
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) => Record(tags, label));
        _listener.Start();
    }

    public IReadOnlyCollection<string> Values => [.. _values.Keys];

    public void Dispose() => _listener.Dispose();

    private void Record(ReadOnlySpan<KeyValuePair<string, object?>> tags, string label)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == label && tag.Value is string value)
            {
                _values[value] = true;
            }
        }
    }
}
