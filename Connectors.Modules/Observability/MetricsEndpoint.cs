using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Connectors.Modules.Observability;

/// <summary>
/// <c>/metrics</c>: OpenTelemetry's meter provider with its Prometheus exporter, over the product's meters
/// (<c>Connectors.*</c>) and the platform's standard ones (runtime, Kestrel, HttpClient, DNS), so the series
/// dashboards already know come with the product's own. Counters end in <c>_total</c>, units become suffixes
/// (<c>s</c> -> <c>_seconds</c>, <c>By</c> -> <c>_bytes</c>). Chosen over prometheus-net and the former hand-written
/// listener by cost per proxied request (docs/decisions.md, "Telemetry").
/// </summary>
public sealed class MetricsEndpoint : IDisposable
{
    /// <summary>Meters of the product: every one whose name starts with <c>Connectors.</c>.</summary>
    public const string ProductMeters = "Connectors.*";

    /// <summary>The platform's meters exported next to the product's.</summary>
    public static readonly IReadOnlyList<string> PlatformMeters =
        ["System.Runtime", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Net.NameResolution"];

    // Seconds-valued histograms without advice of their own: from 0.5 ms (a cached proxy answer) to 10 s.
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    // What the HttpClient and DNS series keep: everything but server.address, server.port and dns.question.name.
    private static readonly string[] PlatformTags =
        ["http.request.method", "http.response.status_code", "error.type", "network.protocol.version", "url.scheme"];

    private readonly MeterProvider _provider;
    private readonly RequestDelegate _pipeline;

    public MetricsEndpoint(IServiceProvider? services = null)
    {
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(ProductMeters)
            .AddMeter([.. PlatformMeters])
            .ConfigureResource(r => r.AddService("connectors", serviceVersion: typeof(MetricsEndpoint).Assembly.GetName().Version?.ToString(3)))
            .AddView(ViewFor)
            .AddPrometheusExporter(o =>
            {
                // Every scrape sees the current values (the exporter would otherwise reuse one answer for 300 ms).
                o.ScrapeResponseCacheDurationMilliseconds = 0;
                o.ScopeInfoEnabled = false;
            })
            .Build();
        var app = new ApplicationBuilder(services ?? new ServiceCollection().BuildServiceProvider());
        app.UseOpenTelemetryPrometheusScrapingEndpoint(_provider, _ => true, null, null, null);
        _pipeline = app.Build();
    }

    /// <summary>Answers a scrape on <paramref name="context"/> (any path: the caller routes).</summary>
    public Task ServeAsync(HttpContext context) => _pipeline(context);

    /// <summary>The Prometheus text a scrape would get now (tests, <c>connectors doctor</c>).</summary>
    public async Task<string> ScrapeAsync(CancellationToken cancellationToken)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/metrics";
        using var body = new MemoryStream();
        context.Response.Body = body;
        context.RequestAborted = cancellationToken;
        await _pipeline(context);
        await context.Response.BodyWriter.FlushAsync(cancellationToken);
        return Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length);
    }

    public void Dispose() => _provider.Dispose();

    private static MetricStreamConfiguration? ViewFor(Instrument instrument)
    {
        if (instrument.Meter.Name is "System.Net.Http" or "System.Net.NameResolution")
        {
            // Upstream host names are the tool's or, with blind forwarding allowed, anyone's: no series per name.
            return new MetricStreamConfiguration { TagKeys = PlatformTags };
        }

        return instrument switch
        {
            Histogram<double> { Unit: "s", Advice: null } or Histogram<double> { Unit: "s", Advice.HistogramBucketBoundaries: null } =>
                new ExplicitBucketHistogramConfiguration { Boundaries = SecondsBuckets },
            _ => null,
        };
    }
}
