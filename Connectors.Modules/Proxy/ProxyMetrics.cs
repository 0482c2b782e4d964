using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Per-Connector proxy metrics (meter <c>Connectors.Proxy</c>): requests by status class, body bytes each way,
/// request duration, and authentication/authorization failures by reason. The <c>connector</c> label names only
/// Connectors that exist: anything else a client can make up counts under <see cref="Unknown"/>, so unauthenticated
/// traffic cannot grow the number of series. Requests and bytes are counted per Connector here
/// (<see cref="ConnectorSeries"/>) and read by observable counters at each scrape; only the duration histogram and the
/// failure counter are recorded through the meter per request.
/// </summary>
internal sealed class ProxyMetrics : IDisposable
{
    /// <summary>The label of requests that name no existing Connector.</summary>
    public const string Unknown = "unknown";

    // Past this many Connectors' series, those of deleted Connectors are dropped at the next request that adds one.
    private const int PruneAbove = 4096;

    private readonly Meter _meter = new("Connectors.Proxy");
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _authFailures;

    // Series of existing Connectors (bounded by the Connectors there are) and of everything else.
    private readonly ConcurrentDictionary<ConnectorKey, ConnectorSeries> _series = new();
    private readonly ConnectorSeries _unknown = new(Unknown);

    private readonly IConnectorDirectory _directory;

    public ProxyMetrics(IConnectorDirectory directory)
    {
        _directory = directory;
        _meter.CreateObservableCounter("connectors.proxy.requests", () => Observe(static (s, into) => s.ObserveRequests(into)),
            null, "Requests served, by Connector and status class.");
        _meter.CreateObservableCounter("connectors.proxy.request.body", () => Observe(static (s, into) => s.ObserveBytes(true, into)),
            "By", "Request body bytes sent upstream.");
        _meter.CreateObservableCounter("connectors.proxy.response.body", () => Observe(static (s, into) => s.ObserveBytes(false, into)),
            "By", "Response body bytes sent to clients.");
        _duration = _meter.CreateHistogram("connectors.proxy.request.duration", "s", "Time from request to the end of the response.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _authFailures = _meter.CreateCounter<long>("connectors.proxy.auth.failures", null, "Requests refused for a missing, invalid or unauthorized token.");
    }

    public void Record(Exchange exchange, TimeSpan elapsed)
    {
        var series = SeriesOf(exchange.Key);
        series.Add(exchange.Result.Status, exchange.Result.BytesIn, exchange.Result.BytesOut);
        var connector = new KeyValuePair<string, object?>("connector", series.Label);
        _duration.Record(elapsed.TotalSeconds, connector);
        if (exchange.AuthFailure is { } reason)
        {
            _authFailures.Add(1, connector, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    public void Dispose() => _meter.Dispose();

    private List<Measurement<long>> Observe(Action<ConnectorSeries, List<Measurement<long>>> read)
    {
        var measurements = new List<Measurement<long>>();
        read(_unknown, measurements);
        foreach (var series in _series.Values)
        {
            read(series, measurements);
        }

        return measurements;
    }

    private ConnectorSeries SeriesOf(ConnectorKey? key)
    {
        if (key is not { } k || _directory.GetConnector(k.Namespace, k.Name) is null)
        {
            return _unknown;
        }

        if (_series.TryGetValue(k, out var series))
        {
            return series;
        }

        if (_series.Count > PruneAbove)
        {
            // Connectors come and go: the counts of deleted ones are let go.
            foreach (var old in _series.Keys)
            {
                if (_directory.GetConnector(old.Namespace, old.Name) is null)
                {
                    _series.TryRemove(old, out _);
                }
            }
        }

        return _series.GetOrAdd(k, static k => new ConnectorSeries(k.ToString()));
    }
}
