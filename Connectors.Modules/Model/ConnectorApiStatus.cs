namespace Connectors.Modules.Model;

/// <summary><c>Connector.status.api</c>: the Connectors API path of this connector.</summary>
public sealed class ConnectorApiStatus
{
    public string? Path { get; set; }
}
