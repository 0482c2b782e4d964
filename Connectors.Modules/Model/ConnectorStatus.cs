namespace Connectors.Modules.Model;

/// <summary><c>Connector.status</c>.</summary>
public sealed class ConnectorStatus
{
    public Dictionary<string, string>? Annotations { get; set; }

    public ConnectorApiStatus? Api { get; set; }

    public List<Condition>? Conditions { get; set; }

    public long? ObservedGeneration { get; set; }

    public ProxyStatus? Proxy { get; set; }
}
