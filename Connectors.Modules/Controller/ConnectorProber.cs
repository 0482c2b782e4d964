using Connectors.Modules.Model;
using Connectors.Modules.Probes;

namespace Connectors.Modules.Controller;

/// <summary>
/// Runs a Connector's liveness and auth probes as its class declares them and turns each result into the
/// condition the original writes (TLS trusts the system CAs plus the Connector's own, when it names some); at most <see cref="ControllerOptions.ProbeConcurrency"/> probes run at once.
/// </summary>
internal sealed class ConnectorProber(
    IProbe probe, ProbeBuilder builder, ControllerMetrics metrics, ControllerOptions options, Func<string, string, Service?>? findService = null, ClassCelConditions? cel = null) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.ProbeConcurrency);
    private readonly ClassCelConditions _cel = cel ?? new ClassCelConditions();

    /// <summary>
    /// <c>LivenessReady</c>: True/NonLivenessProbe without a probe, True on 2xx (and a true <c>response.cel</c> when the
    /// class has one), False/ConnectionFailed otherwise; False/InvalidCEL for a condition that does not parse,
    /// False/CELEvaluationFailed for one that fails on the answer.
    /// </summary>
    public async Task<ConditionState> LivenessAsync(
        Connector connector, ConnectorClass connectorClass, Secret? secret, CaBundle? trusted, CancellationToken cancellationToken)
    {
        var spec = connectorClass.Spec.LivenessProbe;
        if (spec is null || (spec.Http is null && spec.Api is null))
        {
            return ConditionState.True(ConditionReasons.NonLivenessProbe);
        }

        var (condition, celError) = Condition(connectorClass, spec, ClassCelConditions.Liveness);
        if (celError is not null)
        {
            metrics.Probed(connectorClass.Metadata.Name ?? string.Empty, "liveness", "invalid");
            return ConditionState.False(ConditionReasons.InvalidCel, "livenessProbe.http.response.cel: " + celError);
        }

        var result = await RunAsync("liveness", spec, condition, connector, connectorClass, secret, trusted, cancellationToken);
        return result.Outcome switch
        {
            ProbeOutcome.Succeeded => ConditionState.True(),
            ProbeOutcome.Invalid => ConditionState.False(ConditionReasons.InvalidSpec, "livenessProbe: " + result.Message),
            ProbeOutcome.ConditionError => ConditionState.False(ConditionReasons.CelEvaluationFailed, "Liveness probe failed: " + result.Message),
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

        var (condition, celError) = Condition(connectorClass, spec, ClassCelConditions.Auth(authName));
        if (celError is not null)
        {
            metrics.Probed(connectorClass.Metadata.Name ?? string.Empty, "auth", "invalid");
            return ConditionState.False(ConditionReasons.InvalidCel, $"authProbes \"{authName}\" http.response.cel: " + celError);
        }

        var result = await RunAsync("auth", spec, condition, connector, connectorClass, secret, trusted, cancellationToken);
        return result.Outcome switch
        {
            ProbeOutcome.Succeeded => ConditionState.True(),
            ProbeOutcome.Invalid => ConditionState.False(ConditionReasons.InvalidSpec, $"authProbes \"{authName}\": " + result.Message),
            ProbeOutcome.ConditionError => ConditionState.False(ConditionReasons.CelEvaluationFailed, "Authentication failed: " + result.Message),
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

    /// <summary>Whether the probe's success needs a CEL expression.</summary>
    public static bool UsesCel(Probe spec) => spec.Http?.Response?.Cel is { Length: > 0 };

    /// <summary>The probe's compiled <c>response.cel</c> (parsed once per class generation), none, or its parse error.</summary>
    private (CelCondition? Condition, string? Error) Condition(ConnectorClass connectorClass, Probe spec, string field)
    {
        if (!UsesCel(spec))
        {
            return (null, null);
        }

        var compiled = _cel.For(connectorClass);
        return compiled.Errors.TryGetValue(field, out var error) ? (null, error) : (compiled.Conditions[field], null);
    }

    private async Task<ProbeResult> RunAsync(
        string kind, Probe spec, CelCondition? condition, Connector connector, ConnectorClass connectorClass, Secret? secret, CaBundle? trusted, CancellationToken cancellationToken)
    {
        var className = connectorClass.Metadata.Name ?? string.Empty;
        connector = EffectiveSpec.Of(connector, connectorClass);
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
            // Registry mode: an auth probe completes the token flow. (That a registry's own 401 on /v2/ means alive is
            // the oci class's liveness response.cel, not a rule here.)
            var registry = ProxyMode.IsRegistry(connectorClass);
            var result = await probe.ProbeAsync(
                request with { TrustedCas = trusted, Condition = condition, RegistryTokenFlow = registry && kind == "auth" }, cancellationToken);
            metrics.Probed(className, kind, result.Outcome.ToString().ToLowerInvariant());
            return result with { Message = SecretRedaction.Redact(result.Message, secret) };
        }
        finally
        {
            _slots.Release();
        }
    }
}
