using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Controller;

/// <summary>
/// Reconciles one Connector in the original's order: class, Secret, liveness probe, auth probe, proxy Service;
/// then <c>Ready</c> (and <c>CACertReady</c> when its flag is on), and a status patch only when something changed. Requeues itself for the next re-probe.
/// </summary>
internal sealed partial class ConnectorReconciler(
    ControllerCaches caches,
    KubeClient client,
    ConnectorProber prober,
    CaCertCheck caCerts,
    ProxyServiceEnsurer services,
    EventRecorder events,
    ControllerOptions options,
    TimeProvider timeProvider,
    ILogger<ConnectorReconciler> logger) : IReconciler<Connector>
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var connector = caches.Connectors.Get(key.Namespace, key.Name);
        if (connector is null)
        {
            await services.DeleteOrphanAsync(key, cancellationToken);
            return ReconcileResult.Done;
        }

        if (connector.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        var states = new Dictionary<string, ConditionState>(StringComparer.Ordinal);
        var (connectorClass, proxyUrl) = (FindClass(connector, states), (string?)null);
        var (caState, trusted) = caCerts.Check(connector);
        if (caCerts.ConditionEnabled)
        {
            states[ConditionTypes.CACertReady] = caState;
        }

        if (connectorClass is not null)
        {
            var secret = CheckSecret(connector, connectorClass, states);
            var liveness = await prober.LivenessAsync(connector, connectorClass, secret, trusted, cancellationToken);
            states[ConditionTypes.LivenessReady] = liveness;
            states[ConditionTypes.AuthReady] = !states[ConditionTypes.SecretReady].IsTrue
                ? ConnectorConditions.Waiting(ConditionTypes.SecretReady)
                : liveness.Status == ConditionStatus.False
                    ? ConnectorConditions.Waiting(ConditionTypes.LivenessReady)
                    : await prober.AuthAsync(connector, connectorClass, secret, trusted, cancellationToken);
            (states[ConditionTypes.ProxyServiceReady], proxyUrl) = await services.EnsureAsync(connector, connectorClass, cancellationToken);
        }

        await WriteStatusAsync(connector, connectorClass, states, proxyUrl, cancellationToken);
        return new ReconcileResult(options.JitteredProbeInterval());
    }

    private ConnectorClass? FindClass(Connector connector, Dictionary<string, ConditionState> states)
    {
        var name = connector.Spec.ConnectorClassName;
        var connectorClass = string.IsNullOrEmpty(name) ? null : caches.Classes.Get(null, name);
        if (connectorClass is null)
        {
            states[ConditionTypes.ConnectorClassReady] = ConditionState.False(ConditionReasons.ConnectorClassNotFound,
                string.IsNullOrEmpty(name) ? "spec.connectorClassName is required" : $"connectorclass.connectors.alauda.io \"{name}\" not found");
        }
        else if (ConnectorClassValidator.Validate(connectorClass) is { Count: > 0 } classProblems)
        {
            states[ConditionTypes.ConnectorClassReady] = ConditionState.False(ConditionReasons.InvalidSpec, $"connectorclass \"{name}\" is invalid: {string.Join("; ", classProblems)}");
            connectorClass = null;
        }
        else if (ConnectorValidator.Validate(connector, connectorClass) is { Count: > 0 } problems)
        {
            states[ConditionTypes.ConnectorClassReady] = ConditionState.False(ConditionReasons.InvalidSpec, string.Join("; ", problems));
            connectorClass = null;
        }
        else
        {
            states[ConditionTypes.ConnectorClassReady] = ConditionState.True();
            return connectorClass;
        }

        foreach (var type in ConnectorConditions.Connector.Types.Skip(1).SkipLast(1))
        {
            states[type] = ConnectorConditions.Waiting(ConditionTypes.ConnectorClassReady);
        }

        return null;
    }

    private Secret? CheckSecret(Connector connector, ConnectorClass connectorClass, Dictionary<string, ConditionState> states)
    {
        var (state, secret) = SecretState(connector, connectorClass);
        states[ConditionTypes.SecretReady] = state;
        return state.IsTrue ? secret : null;
    }

    private (ConditionState State, Secret? Secret) SecretState(Connector connector, ConnectorClass connectorClass)
    {
        var ns = connector.Metadata.Namespace!;
        var auth = connector.Spec.Auth;
        var authType = connectorClass.Spec.Auth?.Types?.FirstOrDefault(t => t.Name == auth?.Name);
        var reference = auth?.SecretRef;
        if (reference is null || string.IsNullOrEmpty(reference.Name))
        {
            return authType is null || authType.Optional == true
                ? (ConditionState.True(ConditionReasons.SecretOptional), null)
                : (ConditionState.False(ConditionReasons.SecretNotFound, $"spec.auth.secretRef is required: auth type \"{authType.Name}\" is not optional"), null);
        }

        if (!string.IsNullOrEmpty(reference.Namespace) && reference.Namespace != ns)
        {
            return (ConditionState.False(ConditionReasons.SecretNotFound, $"secret \"{reference.Name}\" must be in the connector's namespace \"{ns}\", not \"{reference.Namespace}\""), null);
        }

        var secret = caches.Secrets.Get(ns, reference.Name);
        if (secret is null)
        {
            return (ConditionState.False(ConditionReasons.SecretNotFound, $"secrets \"{reference.Name}\" not found"), null);
        }

        return authType is not null && SecretCheck.Problem(secret, authType) is { } problem
            ? (ConditionState.False(ConditionReasons.SecretNotFound, problem), null)
            : (ConditionState.True(), secret);
    }

    private async Task WriteStatusAsync(Connector connector, ConnectorClass? connectorClass, Dictionary<string, ConditionState> states, string? proxyUrl, CancellationToken cancellationToken)
    {
        var old = connector.Status;
        var conditions = ConnectorConditions.Connector.Apply(old?.Conditions, states, timeProvider.GetUtcNow());
        var apiPath = connectorClass?.Spec.Api is null ? null : $"/connectors/v1alpha1/{connector.Metadata.Namespace}/{connector.Metadata.Name}/path";
        var generation = connector.Metadata.Generation;
        if (LivingConditionSet.SameConditions(old?.Conditions, conditions) && old?.ObservedGeneration == generation
            && old?.Proxy?.HttpAddress?.Url == proxyUrl && old?.Api?.Path == apiPath)
        {
            return;
        }

        var status = new ConnectorStatus
        {
            Conditions = conditions,
            ObservedGeneration = generation,
            Proxy = proxyUrl is null ? null : new ProxyStatus { HttpAddress = new Addressable { Url = proxyUrl } },
            Api = apiPath is null ? null : new ConnectorApiStatus { Path = apiPath },
        };
        var patch = StatusPatch.Build(ModelJson.ToNode(status), ["proxy", "api"]);
        await StatusPatch.ApplyAsync(client, connector, patch, cancellationToken);
        var ready = conditions.First(c => c.Type == ConditionTypes.Ready);
        Log.StatusWritten(logger, $"{connector.Metadata.Namespace}/{connector.Metadata.Name}", ready.Status, ready.Reason ?? string.Empty);
        if (options.RecordEvents)
        {
            await events.RecordChangesAsync(connector, old?.Conditions, conditions, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2101, LogLevel.Debug, "Connector {Connector} status written: Ready={Ready} {Reason}")]
        public static partial void StatusWritten(ILogger logger, string connector, string ready, string reason);
    }
}
