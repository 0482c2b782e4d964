using Connectors.Modules.Observability;
using Connectors.Modules.Proxy;
using Connectors.Tests.Support;

namespace Connectors.Tests.Proxy;

[TestFixture]
public sealed class ProxyMetricsTests
{
    [Test, CancelAfter(20_000)]
    public async Task Record_ExistingMadeUpAndNoConnector_CountsUnderTheirLabelsAtTheScrape(CancellationToken cancellationToken)
    {
        var ns = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        var directory = new InMemoryConnectorDirectory();
        directory.Put(Fixtures.GitConnector(ns, "tool", "http://127.0.0.1:1"));
        using var endpoint = new MetricsEndpoint();
        using var metrics = new ProxyMetrics(directory);
        var tool = new ConnectorKey(ns, "tool");

        metrics.Record(new Exchange(tool, "system:serviceaccount:a:b", new ForwardResult(200, 7, 5), null), TimeSpan.FromMilliseconds(2));
        metrics.Record(new Exchange(tool, "system:serviceaccount:a:b", new ForwardResult(204, 0, 0), null), TimeSpan.FromMilliseconds(1));
        metrics.Record(new Exchange(tool, "system:serviceaccount:a:b", new ForwardResult(0, 0, 3), null), TimeSpan.FromMilliseconds(1));
        metrics.Record(Exchange.Refused(tool, null, 401, "invalid"), TimeSpan.FromMilliseconds(1));
        metrics.Record(Exchange.Refused(new ConnectorKey(ns, "made-up"), null, 404, null), TimeSpan.FromMilliseconds(1));
        metrics.Record(Exchange.Refused(null, null, 400, null), TimeSpan.FromMilliseconds(1));
        var families = PrometheusText.Parse(await endpoint.ScrapeAsync(cancellationToken));

        double Sample(string family, string? code = null, string connector = "") =>
            families[family].Samples.Where(s => s.Labels.GetValueOrDefault("connector") == (connector.Length > 0 ? connector : tool.ToString())
                && (code is null || s.Labels.GetValueOrDefault("code") == code)).Sum(s => s.Value);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Sample("connectors_proxy_requests_total", "2xx"), Is.EqualTo(2));
            Assert.That(Sample("connectors_proxy_requests_total", "other"), Is.EqualTo(1), "a status outside 100-599");
            Assert.That(Sample("connectors_proxy_requests_total", "4xx"), Is.EqualTo(1));
            Assert.That(Sample("connectors_proxy_request_body_bytes_total"), Is.EqualTo(7));
            Assert.That(Sample("connectors_proxy_response_body_bytes_total"), Is.EqualTo(8));
            Assert.That(Sample("connectors_proxy_auth_failures_total"), Is.EqualTo(1));
            Assert.That(families["connectors_proxy_request_duration_seconds"].Samples
                .Single(s => s.Name.EndsWith("_count", StringComparison.Ordinal) && s.Labels.GetValueOrDefault("connector") == tool.ToString()).Value, Is.EqualTo(4));
            Assert.That(Sample("connectors_proxy_requests_total", connector: ProxyMetrics.Unknown), Is.GreaterThanOrEqualTo(2), "other fixtures may add their own");
            Assert.That(families.Values.SelectMany(f => f.Samples).Where(s => s.Labels.GetValueOrDefault("connector")?.Contains("made-up", StringComparison.Ordinal) == true),
                Is.Empty);
        }
    }
}
