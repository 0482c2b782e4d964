using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Connectors.Modules.Probes;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Controller;

/// <summary>
/// Reconciles one ConnectorClass: resolves <c>spec.api</c> (and tries one request, status code ignored) into
/// <c>APIReady</c>, <c>spec.proxy</c> into <c>ProxyReady</c>, aggregates <c>Ready</c>, and reports what it
/// cannot honour (Rego) instead of ignoring it; parses the probes' CEL conditions once per generation
/// into <c>ProbesReady</c> (only on classes that declare some), and reports a class that breaks the structural rules
/// (<see cref="ConnectorClassValidator"/>) as <c>SpecValid</c> False/<c>InvalidSpec</c>, so it is not Ready.
/// </summary>
internal sealed partial class ConnectorClassReconciler(
    ControllerCaches caches,
    KubeClient client,
    IProbe probe,
    EventRecorder events,
    ControllerOptions options,
    TimeProvider timeProvider,
    ILogger<ConnectorClassReconciler> logger,
    ClassCelConditions cel) : IReconciler<ConnectorClass>
{
    public const string UnsupportedAnnotation = "connectors.alauda.io/unsupported";

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var connectorClass = caches.Classes.Get(null, key.Name);
        if (connectorClass is null || connectorClass.Metadata.DeletionTimestamp is not null)
        {
            cel.Forget(key.Name);
            return ReconcileResult.Done;
        }

        var (apiState, apiUrl) = await ApiAsync(connectorClass, cancellationToken);
        var (proxyState, proxyUrl) = Proxy(connectorClass);
        var states = new Dictionary<string, ConditionState>(StringComparer.Ordinal)
        {
            [ConditionTypes.ApiReady] = apiState,
            [ConditionTypes.ProxyReady] = proxyState,
        };
        if (ConnectorClassValidator.ValidateNames(connectorClass) is { Count: > 0 } problems)
        {
            states[ConditionTypes.SpecValid] = ConditionState.False(ConditionReasons.InvalidSpec, string.Join("; ", problems));
        }

        if (cel.For(connectorClass).State is { } probesState)
        {
            states[ConditionTypes.ProbesReady] = probesState;
        }

        await WriteStatusAsync(connectorClass, states, apiUrl, proxyUrl, cancellationToken);
        return new ReconcileResult(options.JitteredProbeInterval());
    }

    /// <summary>The spec fields this implementation cannot honour, as a sentence; null when there are none.</summary>
    public static string? UnsupportedFields(ConnectorClass connectorClass)
    {
        var spec = connectorClass.Spec;
        var fields = new List<string>();
        fields.AddRange((spec.Auth?.Types ?? []).Where(t => t.Generator?.Rego is { Length: > 0 }).Select(t => $"spec.auth.types[{t.Name}].generator.rego"));
        return fields.Count == 0 ? null : string.Join(", ", fields) + " not supported (Rego has no implementation here)";
    }

    private async Task<(ConditionState, string?)> ApiAsync(ConnectorClass connectorClass, CancellationToken cancellationToken)
    {
        var api = connectorClass.Spec.Api;
        if (api is null)
        {
            return (ConditionState.True(ConditionReasons.NonApi), null);
        }

        if (api.Permissions?.Rego is { Length: > 0 })
        {
            return (ConditionState.False(ConditionReasons.Unsupported, "spec.api.permissions.rego is not supported: Rego has no implementation here"), null);
        }

        var endpoint = EndpointResolver.Resolve("spec.api", api.Ref, api.Uri, options.ComponentsNamespace, caches.Services.Get, ConditionReasons.ConnectionFailed);
        if (!endpoint.IsResolved)
        {
            return (ConditionState.False(endpoint.Reason!, endpoint.Problem!), null);
        }

        // The original only checks that a request completes; the status code is ignored.
        var result = await probe.ProbeAsync(new ProbeRequest("GET", new Uri(endpoint.Url!), [], true), cancellationToken);
        return result.Outcome is ProbeOutcome.Succeeded or ProbeOutcome.Rejected
            ? (ConditionState.True(), endpoint.Url)
            : (ConditionState.False(ConditionReasons.ConnectionFailed, result.Message), endpoint.Url);
    }

    private (ConditionState, string?) Proxy(ConnectorClass connectorClass)
    {
        var proxy = connectorClass.Spec.Proxy;
        if (proxy is null)
        {
            return (ConditionState.True(ConditionReasons.NonProxy), null);
        }

        if (proxy.AuthExtractor?.Rego is { Length: > 0 })
        {
            return (ConditionState.False(ConditionReasons.Unsupported, "spec.proxy.authExtractor.rego is not supported: declare spec.proxy.authExtractor.headers instead"), null);
        }

        if ((connectorClass.Spec.Auth?.Types ?? []).FirstOrDefault(t => t.Generator?.Rego is { Length: > 0 }) is { } rego)
        {
            return (ConditionState.False(ConditionReasons.Unsupported, $"spec.auth.types[{rego.Name}].generator.rego is not supported: declare generator.headers instead"), null);
        }

        var endpoint = EndpointResolver.Resolve("spec.proxy", proxy.Ref, proxy.Uri, options.ComponentsNamespace, caches.Services.Get, ConditionReasons.ProxyServiceNotFound);
        return endpoint.IsResolved ? (ConditionState.True(), endpoint.Url) : (ConditionState.False(endpoint.Reason!, endpoint.Problem!), null);
    }

    private async Task WriteStatusAsync(ConnectorClass connectorClass, Dictionary<string, ConditionState> states, string? apiUrl, string? proxyUrl, CancellationToken cancellationToken)
    {
        var old = connectorClass.Status;
        var conditions = ConnectorConditions.ConnectorClass.Apply(old?.Conditions, states, timeProvider.GetUtcNow());
        var unsupported = UnsupportedFields(connectorClass);
        var generation = connectorClass.Metadata.Generation;
        if (LivingConditionSet.SameConditions(old?.Conditions, conditions) && old?.ObservedGeneration == generation
            && old?.Api?.Address?.Url == apiUrl && old?.Proxy?.HttpAddress?.Url == proxyUrl
            && old?.Annotations?.GetValueOrDefault(UnsupportedAnnotation) == unsupported)
        {
            return;
        }

        var annotations = new Dictionary<string, string>(old?.Annotations ?? [], StringComparer.Ordinal);
        annotations.Remove(UnsupportedAnnotation);
        if (unsupported is not null)
        {
            annotations[UnsupportedAnnotation] = unsupported;
        }

        var status = new ConnectorClassStatus
        {
            Conditions = conditions,
            ObservedGeneration = generation,
            Api = apiUrl is null ? null : new ConnectorClassApiStatus { Address = new Addressable { Url = apiUrl } },
            Proxy = proxyUrl is null ? null : new ProxyStatus { HttpAddress = new Addressable { Url = proxyUrl } },
        };
        var node = ModelJson.ToNode(status);
        // Merge patch merges maps key by key: send the whole annotation map, a removed key as null.
        var annotationPatch = new System.Text.Json.Nodes.JsonObject();
        foreach (var key in old?.Annotations?.Keys ?? Enumerable.Empty<string>())
        {
            annotationPatch[key] = null;
        }

        foreach (var (key, value) in annotations)
        {
            annotationPatch[key] = value;
        }

        node["annotations"] = annotationPatch;
        await StatusPatch.ApplyAsync(client, connectorClass, StatusPatch.Build(node, ["api", "proxy"]), cancellationToken);
        Log.StatusWritten(logger, connectorClass.Metadata.Name!, conditions.First(c => c.Type == ConditionTypes.Ready).Status);
        if (options.RecordEvents)
        {
            await events.RecordChangesAsync(connectorClass, old?.Conditions, conditions, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2102, LogLevel.Debug, "ConnectorClass {ConnectorClass} status written: Ready={Ready}")]
        public static partial void StatusWritten(ILogger logger, string connectorClass, string ready);
    }
}
