using Connectors.Modules.Model;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Where the proxy reads Connectors, classes, Secrets and the feature-flag ConfigMap. Lookups are synchronous and
/// must be cheap (a watch cache), because they run on every request; a rotated Secret is seen on the next request.
/// </summary>
internal interface IConnectorDirectory
{
    Connector? GetConnector(string ns, string name);

    ConnectorClass? GetClass(string name);

    Secret? GetSecret(string ns, string name);

    ConfigMap? GetConfigMap(string ns, string name);
}
