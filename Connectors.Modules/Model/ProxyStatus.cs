namespace Connectors.Modules.Model;

/// <summary><c>status.proxy</c> of a Connector or ConnectorClass.</summary>
public sealed class ProxyStatus
{
    public Addressable? HttpAddress { get; set; }
}
