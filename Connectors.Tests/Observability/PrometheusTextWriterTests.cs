using System.Diagnostics.Metrics;
using Connectors.Modules.Observability;
using Connectors.Tests.Support;

namespace Connectors.Tests.Observability;

[TestFixture]
public sealed class PrometheusTextWriterTests
{
    [Test]
    public void Write_CounterHistogramAndGauge_ParsesAsPrometheusText()
    {
        using var collector = new MetricsCollector();
        using var meter = new Meter("Connectors.Test." + Guid.NewGuid().ToString("N"));
        var requests = meter.CreateCounter<long>("connectors.test.requests", description: "Requests served.");
        var latency = meter.CreateHistogram<double>("connectors.test.duration", "s", "Request duration.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        meter.CreateObservableGauge("connectors.test.queue_depth", () => 7L, description: "Queue depth.");
        requests.Add(2, new KeyValuePair<string, object?>("connector", "ns/a"), new("code", "2xx"));
        requests.Add(3, new KeyValuePair<string, object?>("code", "2xx"), new("connector", "ns/a"));
        latency.Record(0.05);
        latency.Record(0.5);
        latency.Record(5);

        var text = new StringWriter();
        PrometheusTextWriter.Write(text, collector.Snapshot());
        var families = PrometheusText.Parse(text.ToString());

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

            Assert.That(families["connectors_test_queue_depth"].Samples.Single().Value, Is.EqualTo(7));
        }
    }

    [Test]
    public void Write_LabelValueWithQuotesAndNewline_IsEscaped()
    {
        using var collector = new MetricsCollector();
        using var meter = new Meter("Connectors.Test." + Guid.NewGuid().ToString("N"));
        meter.CreateCounter<long>("connectors.test.odd").Add(1, new KeyValuePair<string, object?>("path", "a\"b\\c\nd"));

        var text = new StringWriter();
        PrometheusTextWriter.Write(text, collector.Snapshot());

        Assert.That(text.ToString(), Does.Contain("""connectors_test_odd_total{path="a\"b\\c\nd"} 1"""));
        Assert.That(PrometheusText.Parse(text.ToString())["connectors_test_odd_total"].Samples.Single().Labels["path"], Is.EqualTo("a\"b\\c\nd"));
    }

    [TestCase("connectors.proxy.requests", null, "connectors_proxy_requests")]
    [TestCase("connectors.proxy.duration", "s", "connectors_proxy_duration_seconds")]
    [TestCase("connectors.proxy.bytes-in", "By", "connectors_proxy_bytes_in_bytes")]
    [TestCase("9lives", null, "_lives")]
    public void MetricName_InstrumentNameAndUnit_MapsToPrometheusName(string name, string? unit, string expected)
    {
        Assert.That(PrometheusTextWriter.MetricName(name, unit), Is.EqualTo(expected));
    }
}
