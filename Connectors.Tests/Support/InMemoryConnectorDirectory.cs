using System.Collections.Concurrent;
using Connectors.Modules.Model;
using Connectors.Modules.Proxy;

namespace Connectors.Tests.Support;

/// <summary>An <see cref="IConnectorDirectory"/> over dictionaries: what a watch cache would hold, set by the test.</summary>
internal sealed class InMemoryConnectorDirectory : IConnectorDirectory
{
    private readonly ConcurrentDictionary<string, Connector> _connectors = new();
    private readonly ConcurrentDictionary<string, ConnectorClass> _classes = new();
    private readonly ConcurrentDictionary<string, Secret> _secrets = new();
    private readonly ConcurrentDictionary<string, ConfigMap> _configMaps = new();

    public Connector? GetConnector(string ns, string name) => _connectors.GetValueOrDefault(ns + "/" + name);

    private int _classLookups;

    /// <summary>How many times <see cref="GetClass"/> was called: what one request costs the watch cache.</summary>
    public int ClassLookups => Volatile.Read(ref _classLookups);

    public ConnectorClass? GetClass(string name)
    {
        Interlocked.Increment(ref _classLookups);
        return _classes.GetValueOrDefault(name);
    }

    public Secret? GetSecret(string ns, string name) => _secrets.GetValueOrDefault(ns + "/" + name);

    public IReadOnlyList<Secret> ListSecrets(string ns) => [.. _secrets.Values.Where(s => s.Metadata.Namespace == ns)];

    public ConfigMap? GetConfigMap(string ns, string name) => _configMaps.GetValueOrDefault(ns + "/" + name);

    public void Put(Connector connector) => _connectors[connector.Metadata.Namespace + "/" + connector.Metadata.Name] = connector;

    public void Put(ConnectorClass connectorClass) => _classes[connectorClass.Metadata.Name!] = connectorClass;

    public void Put(Secret secret) => _secrets[secret.Metadata.Namespace + "/" + secret.Metadata.Name] = secret;

    public void Put(ConfigMap configMap) => _configMaps[configMap.Metadata.Namespace + "/" + configMap.Metadata.Name] = configMap;
}
