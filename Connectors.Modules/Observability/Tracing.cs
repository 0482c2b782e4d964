using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Connectors.Modules.Observability;

/// <summary>
/// Spans of the product's activity sources (<c>Connectors.*</c>: reconcile, CSI publish, proxied request with its
/// review and forward) exported over OTLP when <see cref="ObservabilityOptions.OtlpEndpoint"/> is set. Without it
/// no listener exists, so no activity is created and a request's W3C <c>traceparent</c> passes through the proxy
/// untouched. Attributes name the Connector and the subject, never a token or header value.
/// </summary>
public sealed class Tracing : IDisposable
{
    /// <summary>The sources exported: every one whose name starts with <c>Connectors.</c>.</summary>
    public const string ProductSources = "Connectors.*";

    private readonly TracerProvider? _provider;

    public Tracing(IOptions<ObservabilityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Value.OtlpEndpoint is not { Length: > 0 } endpoint)
        {
            return;
        }

        var uri = new Uri(endpoint);
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(ProductSources)
            .ConfigureResource(r => r.AddService("connectors", serviceVersion: typeof(Tracing).Assembly.GetName().Version?.ToString(3)))
            .AddOtlpExporter(o =>
            {
                o.Endpoint = uri;
                // A path ending in /v1/traces means OTLP over HTTP/protobuf; anything else, OTLP over gRPC.
                o.Protocol = uri.AbsolutePath.EndsWith("/v1/traces", StringComparison.Ordinal) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            })
            .Build();
    }

    public void Dispose() => _provider?.Dispose();
}
