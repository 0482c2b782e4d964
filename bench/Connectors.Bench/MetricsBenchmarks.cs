using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Connectors.Modules.Model;
using Connectors.Modules.Proxy;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Connectors.Bench;

/// <summary>
/// What the metrics cost one proxied request: the recordings the proxy makes per request (requests by Connector and
/// status class, body bytes each way, the duration histogram) under each /metrics implementation: OpenTelemetry's
/// MeterProvider with the Prometheus exporter and prometheus-net's meter adapter. Run:
/// <c>dotnet run -c Release --project bench/Connectors.Bench -- --filter '*Metrics*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static int _runs;

    private Meter _meter = null!;
    private Counter<long> _requests = null!;
    private Counter<long> _bytesIn = null!;
    private Counter<long> _bytesOut = null!;
    private Histogram<double> _duration = null!;
    private IDisposable? _listener;
    private ProxyMetrics? _proxyMetrics;
    private int _i;

    // "hand-written" (the former MetricsCollector listener) was measured at commit 810583a, before its deletion.
    [Params("none", "OpenTelemetry", "prometheus-net")]
    public string Exporter { get; set; } = "none";

    [GlobalSetup]
    public void Setup()
    {
        var name = $"Connectors.Bench{Interlocked.Increment(ref _runs)}";
        _listener = Exporter switch
        {
            "OpenTelemetry" => Sdk.CreateMeterProviderBuilder().AddMeter(name, "Connectors.Proxy").AddPrometheusExporter().Build(),
            "prometheus-net" => Prometheus.MeterAdapter.StartListening(new Prometheus.MeterAdapterOptions { InstrumentFilterPredicate = i => i.Meter.Name == name, Registry = Prometheus.Metrics.NewCustomRegistry() }),
            _ => null,
        };
        _meter = new Meter(name);
        _requests = _meter.CreateCounter<long>("connectors.proxy.requests");
        _bytesIn = _meter.CreateCounter<long>("connectors.proxy.request.body", "By");
        _bytesOut = _meter.CreateCounter<long>("connectors.proxy.response.body", "By");
        _duration = _meter.CreateHistogram("connectors.proxy.request.duration", "s", null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        if (Exporter == "OpenTelemetry")
        {
            // The proxy's own class (meter Connectors.Proxy, which the provider above also listens to).
            _proxyMetrics = new ProxyMetrics(new Directory());
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _proxyMetrics?.Dispose();
        _meter.Dispose();
        _listener?.Dispose();
    }

    /// <summary>One request of one of 50 Connectors: what ProxyMetrics.Record does.</summary>
    [Benchmark]
    public void RecordOneRequest()
    {
        var i = _i++;
        var connector = new KeyValuePair<string, object?>("connector", Connectors[i % Connectors.Length]);
        _requests.Add(1, connector, new KeyValuePair<string, object?>("code", "2xx"));
        _bytesIn.Add(175, connector);
        _bytesOut.Add(4096 + (i & 1023), connector);
        _duration.Record(0.0004 + ((i & 255) * 0.0001), connector);
    }

    /// <summary>
    /// The same request through <see cref="ProxyMetrics.Record"/> itself: requests and bytes as interlocked counts read by
    /// observable counters at the scrape, the duration histogram through the meter (plus the Connector's existence check).
    /// </summary>
    [Benchmark]
    public void ProxyMetricsRecord()
    {
        if (_proxyMetrics is null)
        {
            return;
        }

        var i = _i++;
        var key = Keys[i % Keys.Length];
        _proxyMetrics.Record(new Exchange(key, "system:serviceaccount:team:ci", new ForwardResult(200, 175, 4096 + (i & 1023)), null), TimeSpan.FromTicks(4000 + ((i & 255) * 1000)));
    }

    private static readonly string[] Connectors = [.. Enumerable.Range(0, 50).Select(n => $"team-{n % 5}/tool-{n}")];

    private static readonly ConnectorKey[] Keys = [.. Connectors.Select(c => new ConnectorKey(c.Split('/')[0], c.Split('/')[1]))];

    /// <summary>Every Connector exists: what the proxy's watch cache answers for a served request.</summary>
    private sealed class Directory : IConnectorDirectory
    {
        private static readonly Connector Any = new();

        public Connector? GetConnector(string ns, string name) => Any;

        public ConnectorClass? GetClass(string name) => null;

        public Secret? GetSecret(string ns, string name) => null;

        public IReadOnlyList<Secret> ListSecrets(string ns) => [];

        public ConfigMap? GetConfigMap(string ns, string name) => null;
    }
}
