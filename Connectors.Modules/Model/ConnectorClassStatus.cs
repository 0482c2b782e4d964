namespace Connectors.Modules.Model;

/// <summary><c>ConnectorClass.status</c>.</summary>
public sealed class ConnectorClassStatus
{
    public Dictionary<string, string>? Annotations { get; set; }

    public ConnectorClassApiStatus? Api { get; set; }

    public List<Condition>? Conditions { get; set; }

    public long? ObservedGeneration { get; set; }

    public ProxyStatus? Proxy { get; set; }
}
