using Microsoft.Extensions.Options;

namespace Connectors.Modules.Observability;

/// <summary>An OTLP endpoint, when given, is an absolute http or https URL (checked before anything starts).</summary>
internal sealed class OtlpEndpointValidator : IValidateOptions<ObservabilityOptions>
{
    public ValidateOptionsResult Validate(string? name, ObservabilityOptions options) =>
        options.OtlpEndpoint is not { Length: > 0 } endpoint
            || (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{ObservabilityOptions.SectionName}:{nameof(ObservabilityOptions.OtlpEndpoint)}: \"{endpoint}\" is not an http or https URL");
}
