using Connectors.Modules.Kube;
using Connectors.Modules.Model;

namespace Connectors.Modules.Proxy;

/// <summary>The proxy's view of the cluster, read from watch caches: no API call per request, rotations seen at once.</summary>
internal sealed class KubeConnectorDirectory(
    ResourceCache<Connector> connectors,
    ResourceCache<ConnectorClass> classes,
    ResourceCache<Secret> secrets,
    ResourceCache<ConfigMap> configMaps) : IConnectorDirectory
{
    public Connector? GetConnector(string ns, string name) => connectors.Get(ns, name);

    public ConnectorClass? GetClass(string name) => classes.Get(null, name);

    public Secret? GetSecret(string ns, string name) => secrets.Get(ns, name);

    public IReadOnlyList<Secret> ListSecrets(string ns) => secrets.List(ns);

    public ConfigMap? GetConfigMap(string ns, string name) => configMaps.Get(ns, name);
}
