using Connectors.Modules.Model;
using Connectors.Modules.Probes;

namespace Connectors.Modules.Controller;

/// <summary>
/// Runs a Connector's liveness and auth probes as its class declares them and turns each result into the
/// condition the original writes (TLS trusts the system CAs plus the Connector's own, when it names some); at most <see cref="ControllerOptions.ProbeConcurrency"/> probes run at once.
/// </summary>
internal sealed class ConnectorProber(IProbe probe, ProbeBuilder builder, ControllerMetrics metrics, ControllerOptions options, Func<string, string, Service?>? findService = null) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.ProbeConcurrency);

    /// <summary><c>LivenessReady</c>: True/NonLivenessProbe without a probe, True on 2xx, False/ConnectionFailed otherwise.</summary>
    public async Task<ConditionState> LivenessAsync(
        Connector connector, ConnectorClass connectorClass, Secret? secret, CaBundle? trusted, CancellationToken cancellationToken)
    {
        var spec = connectorClass.Spec.LivenessProbe;
        if (spec is null || (spec.Http is null && spec.Api is null))
        {
            return ConditionState.True(ConditionReasons.NonLivenessProbe);
        }

        if (UsesCel(spec))
        {
            metrics.Probed(connectorClass.Metadata.Name ?? string.Empty, "liveness", "unsupported");
            return ConditionState.False(ConditionReasons.Unsupported, "livenessProbe.http.response.cel is not supported by this implementation");
        }

        var result = await RunAsync("liveness", spec, connector, connectorClass, secret, trusted, cancellationToken);
        return result.Outcome switch
        {
            ProbeOutcome.Succeeded => ConditionState.True(),
            ProbeOutcome.Invalid => ConditionState.False(ConditionReasons.InvalidSpec, "livenessProbe: " + result.Message),
            ProbeOutcome.Rejected => ConditionState.False(ConditionReasons.ConnectionFailed, "Liveness probe failed: " + result.Message),
            _ => ConditionState.False(ConditionReasons.ConnectionFailed, result.Message),
        };
    }

    /// <summary><c>AuthReady</c>: True/NonAuthProbe without a probe for the auth type, True on 2xx, False/AuthenticationFailed otherwise.</summary>
    public async Task<ConditionState> AuthAsync(
        Connector connector, ConnectorClass connectorClass, Secret? secret, CaBundle? trusted, CancellationToken cancellationToken)
    {
        var authName = connector.Spec.Auth?.Name;
        var spec = connectorClass.Spec.AuthProbes?.FirstOrDefault(p => p.AuthName == authName)?.Probe;
        if (string.IsNullOrEmpty(authName) || spec is null || (spec.Http is null && spec.Api is null))
        {
            return ConditionState.True(ConditionReasons.NonAuthProbe);
        }

        if (UsesCel(spec))
        {
            metrics.Probed(connectorClass.Metadata.Name ?? string.Empty, "auth", "unsupported");
            return ConditionState.False(ConditionReasons.Unsupported, $"authProbes \"{authName}\" http.response.cel is not supported by this implementation");
        }

        var result = await RunAsync("auth", spec, connector, connectorClass, secret, trusted, cancellationToken);
        return result.Outcome switch
        {
            ProbeOutcome.Succeeded => ConditionState.True(),
            ProbeOutcome.Invalid => ConditionState.False(ConditionReasons.InvalidSpec, $"authProbes \"{authName}\": " + result.Message),
            _ => ConditionState.False(ConditionReasons.AuthenticationFailed, "Authentication failed: " + result.Message),
        };
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>
    /// The class API URL for <c>api</c> probes, resolved here rather than read from the class status, which may not
    /// be written yet (and whose writes do not queue the class's Connectors).
    /// </summary>
    private string? ApiUrl(ConnectorClass connectorClass)
    {
        var api = connectorClass.Spec.Api;
        if (api is null)
        {
            return null;
        }

        var resolved = EndpointResolver.Resolve("spec.api", api.Ref, api.Uri, options.ComponentsNamespace, findService ?? ((_, _) => null), ConditionReasons.ConnectionFailed);
        return resolved.Url;
    }

    /// <summary>Whether the probe's success needs a CEL expression (not evaluated here: reported, never ignored).</summary>
    public static bool UsesCel(Probe spec) => spec.Http?.Response?.Cel is { Length: > 0 };

    private async Task<ProbeResult> RunAsync(
        string kind, Probe spec, Connector connector, ConnectorClass connectorClass, Secret? secret, CaBundle? trusted, CancellationToken cancellationToken)
    {
        var className = connectorClass.Metadata.Name ?? string.Empty;
        var (request, error) = spec.Http is not null
            ? builder.Build(spec.Http, connector, secret)
            : builder.BuildApi(spec.Api!, ApiUrl(connectorClass), connector, secret);
        if (request is null)
        {
            metrics.Probed(className, kind, "invalid");
            return ProbeResult.Invalid(SecretRedaction.Redact(error!, secret));
        }

        await _slots.WaitAsync(cancellationToken);
        try
        {
            // Registry mode: an auth probe completes the token flow; a liveness probe (no credential) counts the
            // registry's own 401 on the API root as alive.
            var registry = ProxyMode.IsRegistry(connectorClass);
            var result = await probe.ProbeAsync(
                request with { TrustedCas = trusted, RegistryTokenFlow = registry && kind == "auth", RegistryLiveness = registry && kind == "liveness" }, cancellationToken);
            metrics.Probed(className, kind, result.Outcome.ToString().ToLowerInvariant());
            return result with { Message = SecretRedaction.Redact(result.Message, secret) };
        }
        finally
        {
            _slots.Release();
        }
    }
}
