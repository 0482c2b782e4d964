using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Per-Connector proxy metrics (meter <c>Connectors.Proxy</c>): requests by status class, body bytes each way,
/// request duration, and authentication/authorization failures by reason. The <c>connector</c> label names only
/// Connectors that exist: anything else a client can make up counts under <see cref="Unknown"/>, so unauthenticated
/// traffic cannot grow the number of series.
/// </summary>
internal sealed class ProxyMetrics : IDisposable
{
    /// <summary>The label of requests that name no existing Connector.</summary>
    public const string Unknown = "unknown";

    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    private readonly Meter _meter = new("Connectors.Proxy");
    private readonly Counter<long> _requests;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _authFailures;

    // Label strings of existing Connectors, so a cached request allocates none; bounded by the Connectors there are.
    private readonly ConcurrentDictionary<ConnectorKey, string> _labels = new();

    private readonly IConnectorDirectory _directory;

    public ProxyMetrics(IConnectorDirectory directory)
    {
        _directory = directory;
        _requests = _meter.CreateCounter<long>("connectors.proxy.requests", null, "Requests served, by Connector and status class.");
        _bytesIn = _meter.CreateCounter<long>("connectors.proxy.request.body", "By", "Request body bytes sent upstream.");
        _bytesOut = _meter.CreateCounter<long>("connectors.proxy.response.body", "By", "Response body bytes sent to clients.");
        _duration = _meter.CreateHistogram("connectors.proxy.request.duration", "s", "Time from request to the end of the response.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _authFailures = _meter.CreateCounter<long>("connectors.proxy.auth.failures", null, "Requests refused for a missing, invalid or unauthorized token.");
    }

    public void Record(Exchange exchange, TimeSpan elapsed)
    {
        var connector = new KeyValuePair<string, object?>("connector", LabelOf(exchange.Key));
        var status = exchange.Result.Status;
        var statusClass = status is >= 100 and < 600 ? StatusClasses[(status / 100) - 1] : "other";
        _requests.Add(1, connector, new KeyValuePair<string, object?>("code", statusClass));
        if (exchange.Result.BytesIn > 0)
        {
            _bytesIn.Add(exchange.Result.BytesIn, connector);
        }

        if (exchange.Result.BytesOut > 0)
        {
            _bytesOut.Add(exchange.Result.BytesOut, connector);
        }

        _duration.Record(elapsed.TotalSeconds, connector);
        if (exchange.AuthFailure is { } reason)
        {
            _authFailures.Add(1, connector, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    public void Dispose() => _meter.Dispose();

    private string LabelOf(ConnectorKey? key)
    {
        if (key is not { } k || _directory.GetConnector(k.Namespace, k.Name) is null)
        {
            return Unknown;
        }

        if (_labels.TryGetValue(k, out var label))
        {
            return label;
        }

        if (_labels.Count > 4096)
        {
            // Connectors come and go; a fresh map now and then keeps deleted ones from piling up.
            _labels.Clear();
        }

        return _labels.GetOrAdd(k, static k => k.ToString());
    }
}
