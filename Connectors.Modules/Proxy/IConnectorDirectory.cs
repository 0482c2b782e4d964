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

    /// <summary>The Secrets of <paramref name="ns"/> (the components namespace's CA pool is read from them).</summary>
    IReadOnlyList<Secret> ListSecrets(string ns);

    ConfigMap? GetConfigMap(string ns, string name);
}
