using Connectors.Modules.Kube;
using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>
/// The watch caches the controller reads from (it never reads through the API on the hot path). <see cref="Flags"/>
/// holds only ConfigMap <c>connectors-config</c> of the components namespace.
/// </summary>
internal sealed record ControllerCaches(
    ResourceCache<Connector> Connectors,
    ResourceCache<ConnectorClass> Classes,
    ResourceCache<Secret> Secrets,
    ResourceCache<Service> Services,
    ResourceCache<ConfigMap> Flags)
{
    public bool HasSynced => Connectors.HasSynced && Classes.HasSynced && Secrets.HasSynced && Services.HasSynced && Flags.HasSynced;

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.WhenAll(
        Connectors.WaitForSyncAsync(cancellationToken),
        Classes.WaitForSyncAsync(cancellationToken),
        Secrets.WaitForSyncAsync(cancellationToken),
        Services.WaitForSyncAsync(cancellationToken),
        Flags.WaitForSyncAsync(cancellationToken));
}
