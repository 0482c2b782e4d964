using Connectors.Modules.Kube;
using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>
/// <c>ProxyServiceReady</c>: resolves the class's proxy, makes sure <c>c-&lt;connector&gt;</c> exists and points at
/// it, and gives the connector's proxy URL. Removes the Service of a deleted Connector (where no garbage collector
/// runs, e.g. the embedded API).
/// </summary>
internal sealed class ProxyServiceEnsurer(KubeClient client, ControllerCaches caches, ControllerOptions options)
{
    public async Task<(ConditionState State, string? ProxyUrl)> EnsureAsync(Connector connector, ConnectorClass connectorClass, CancellationToken cancellationToken)
    {
        var proxy = connectorClass.Spec.Proxy;
        if (proxy is null)
        {
            return (ConditionState.True(ConditionReasons.NonProxy), null);
        }

        var endpoint = EndpointResolver.Resolve("spec.proxy", proxy.Ref, proxy.Uri, options.ComponentsNamespace,
            caches.Services.Get, ConditionReasons.ProxyServiceNotFound);
        if (!endpoint.IsResolved)
        {
            return (ConditionState.False(endpoint.Reason!, endpoint.Problem!), null);
        }

        var name = connector.Metadata.Name!;
        if (ConnectorService.NameProblem(name) is { } problem)
        {
            return (ConditionState.False(ConditionReasons.ProxyServiceNotFound, problem), null);
        }

        var desired = ConnectorService.Desired(connector, endpoint.Host!);
        var actual = caches.Services.Get(connector.Metadata.Namespace, desired.Metadata.Name!);
        var failure = actual is null ? await CreateAsync(desired, cancellationToken) : await UpdateAsync(actual, desired, cancellationToken);
        return failure is null
            ? (ConditionState.True(), ConnectorService.ProxyUrl(connector, connectorClass, endpoint.Url!, endpoint.External))
            : (ConditionState.False(ConditionReasons.ProxyServiceNotFound, failure), null);
    }

    /// <summary>Deletes <c>c-&lt;name&gt;</c> when the controller made it for a Connector that is gone.</summary>
    public async Task DeleteOrphanAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        // A reconcile still in flight when the Connector went may have created the Service after the cache last saw
        // it; a miss is confirmed with the API (deletes are rare), or that Service would outlive its Connector.
        var service = caches.Services.Get(key.Namespace, ConnectorService.NameOf(key.Name));
        if (service is null)
        {
            var read = await client.GetAsync<Service>(key.Namespace, ConnectorService.NameOf(key.Name), cancellationToken);
            service = read.IsOk ? read.Value : null;
        }

        var owner = service?.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (service is null || !IsManaged(service) || owner?.Kind != "Connector" || owner.Name != key.Name)
        {
            return;
        }

        var result = await client.DeleteAsync<Service>(key.Namespace, service.Metadata.Name!, cancellationToken);
        if (!result.IsOk && result.Outcome is not KubeOutcome.NotFound)
        {
            throw new KubeException(result.Outcome, $"delete Service {service.Metadata.Name}: {result.Message}");
        }
    }

    private async Task<string?> CreateAsync(Service desired, CancellationToken cancellationToken)
    {
        var created = await client.CreateAsync(desired, cancellationToken);
        if (created.Outcome == KubeOutcome.Conflict)
        {
            // The cache lags behind: someone (an earlier reconcile) made it already. Read it and converge.
            var current = await client.GetAsync<Service>(desired.Metadata.Namespace, desired.Metadata.Name!, cancellationToken);
            return current.IsOk ? await UpdateAsync(current.Value!, desired, cancellationToken) : Fail("read", desired, current.Outcome, current.Message);
        }

        return created.IsOk ? null : Fail("create", desired, created.Outcome, created.Message);
    }

    private async Task<string?> UpdateAsync(Service actual, Service desired, CancellationToken cancellationToken)
    {
        if (!IsManaged(actual))
        {
            return $"Service {actual.Metadata.Name} already exists in namespace {actual.Metadata.Namespace} and is not managed by the connectors controller";
        }

        if (!ConnectorService.NeedsUpdate(actual, desired))
        {
            return null;
        }

        var updated = await client.UpdateAsync(ConnectorService.Merge(actual, desired), cancellationToken);
        return updated.IsOk ? null : Fail("update", desired, updated.Outcome, updated.Message);
    }

    private static bool IsManaged(Service service) =>
        service.Metadata.Labels?.GetValueOrDefault(ConnectorService.ManagedByLabel) == ConnectorService.ManagedBy;

    /// <exception cref="KubeException">A failure worth retrying (transient, conflict).</exception>
    private static string Fail(string verb, Service service, KubeOutcome outcome, string? message) =>
        outcome is KubeOutcome.Invalid or KubeOutcome.Forbidden
            ? $"cannot {verb} Service {service.Metadata.Name} in namespace {service.Metadata.Namespace}: {message}"
            : throw new KubeException(outcome, $"{verb} Service {service.Metadata.Name}: {message}");
}
