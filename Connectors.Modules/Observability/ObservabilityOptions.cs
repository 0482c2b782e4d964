using System.ComponentModel.DataAnnotations;

namespace Connectors.Modules.Observability;

/// <summary>Health and metrics endpoint settings.</summary>
public sealed class ObservabilityOptions
{
    public const string SectionName = "Observability";

    /// <summary>Address of the <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> listener. Defaults to <c>0.0.0.0:9090</c>.</summary>
    [Required]
    public string HealthListen { get; set; } = "0.0.0.0:9090";

    /// <summary>
    /// OTLP endpoint that receives the spans of reconciles, CSI publishes and proxied requests (for example
    /// <c>http://otel-collector:4317</c> for gRPC, or an <c>.../v1/traces</c> URL for HTTP/protobuf); none when empty.
    /// </summary>
    public string? OtlpEndpoint { get; set; }
}
