using System.Diagnostics.Metrics;
using Connectors.Modules.Observability;
using Connectors.Tests.Support;

namespace Connectors.Tests.Observability;

[TestFixture]
public sealed class MetricsEndpointTests
{
    [Test, CancelAfter(30_000)]
    public async Task Scrape_CounterHistogramAndGauge_ParsesAsPrometheusText(CancellationToken cancellationToken)
    {
        using var endpoint = new MetricsEndpoint();
        using var meter = new Meter("Connectors.Test." + Guid.NewGuid().ToString("N"));
        var requests = meter.CreateCounter<long>("connectors.test.requests", description: "Requests served.");
        var latency = meter.CreateHistogram<double>("connectors.test.duration", "s", "Request duration.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        var unadvised = meter.CreateHistogram<double>("connectors.test.wait", "s", "A duration without bucket advice.");
        meter.CreateObservableGauge("connectors.test.queue_depth", () => 7L, description: "Queue depth.");
        requests.Add(2, new KeyValuePair<string, object?>("connector", "ns/a"), new("code", "2xx"));
        requests.Add(3, new KeyValuePair<string, object?>("code", "2xx"), new("connector", "ns/a"));
        latency.Record(0.05);
        latency.Record(0.5);
        latency.Record(5);
        unadvised.Record(0.003);

        var families = PrometheusText.Parse(await endpoint.ScrapeAsync(cancellationToken));

        using (Assert.EnterMultipleScope())
        {
            var counter = families["connectors_test_requests_total"];
            Assert.That(counter.Type, Is.EqualTo("counter"));
            Assert.That(counter.Samples, Has.Count.EqualTo(1), "label order must not split a series");
            Assert.That(counter.Samples[0].Value, Is.EqualTo(5));
            Assert.That(counter.Samples[0].Labels["connector"], Is.EqualTo("ns/a"));

            var histogram = families["connectors_test_duration_seconds"];
            Assert.That(histogram.Type, Is.EqualTo("histogram"));
            var buckets = histogram.Samples.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).ToDictionary(s => s.Labels["le"], s => s.Value);
            Assert.That(buckets["0.1"], Is.EqualTo(1));
            Assert.That(buckets["1"], Is.EqualTo(2));
            Assert.That(buckets["+Inf"], Is.EqualTo(3));
            Assert.That(histogram.Samples.Single(s => s.Name.EndsWith("_sum", StringComparison.Ordinal)).Value, Is.EqualTo(5.55).Within(1e-9));
            Assert.That(histogram.Samples.Single(s => s.Name.EndsWith("_count", StringComparison.Ordinal)).Value, Is.EqualTo(3));

            var wait = families["connectors_test_wait_seconds"].Samples.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).Select(s => s.Labels["le"]);
            Assert.That(wait, Does.Contain("0.0005").And.Contain("0.005").And.Contain("10"), "seconds histograms without advice get buckets from 0.5 ms to 10 s");

            Assert.That(families["connectors_test_queue_depth"].Samples.Single().Value, Is.EqualTo(7));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Scrape_LabelValueWithQuotesAndNewline_IsEscaped(CancellationToken cancellationToken)
    {
        using var endpoint = new MetricsEndpoint();
        using var meter = new Meter("Connectors.Test." + Guid.NewGuid().ToString("N"));
        meter.CreateCounter<long>("connectors.test.odd").Add(1, new KeyValuePair<string, object?>("path", "a\"b\\c\nd"));

        var text = await endpoint.ScrapeAsync(cancellationToken);

        Assert.That(PrometheusText.Parse(text)["connectors_test_odd_total"].Samples.Single().Labels["path"], Is.EqualTo("a\"b\\c\nd"));
    }

    [Test, CancelAfter(30_000)]
    public async Task Scrape_PlatformMeters_AreExportedWithoutHostNameLabels(CancellationToken cancellationToken)
    {
        using var endpoint = new MetricsEndpoint();
        await using var origin = await LoopbackOrigin.StartAsync(ctx => Task.CompletedTask, cancellationToken);
        using (var client = new HttpClient())
        {
            // A host name (resolved by DNS): with blind forwarding allowed, a client chooses upstream names, and a name must
            // not become a series of its own.
            (await client.GetAsync(new Uri($"http://localhost:{origin.BaseAddress.Port}/"), cancellationToken)).Dispose();
        }

        var text = await endpoint.ScrapeAsync(cancellationToken);
        var families = PrometheusText.Parse(text);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(families, Does.ContainKey("dotnet_gc_collections_total"), "runtime meter");
            Assert.That(families, Does.ContainKey("dotnet_process_memory_working_set_bytes"), "runtime meter");
            Assert.That(families, Does.ContainKey("http_client_request_duration_seconds"), "HttpClient meter");
            Assert.That(families["http_client_request_duration_seconds"].Samples.SelectMany(s => s.Labels.Keys), Has.None.EqualTo("server_address").And.None.EqualTo("server_port"));
            Assert.That(families, Does.ContainKey("dns_lookup_duration_seconds"), "DNS meter");
            Assert.That(text, Does.Not.Contain("localhost"));
        }
    }
}
