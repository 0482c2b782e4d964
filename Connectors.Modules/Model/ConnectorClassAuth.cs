namespace Connectors.Modules.Model;

/// <summary><c>ConnectorClass.spec.auth</c>.</summary>
public sealed class ConnectorClassAuth
{
    public List<AuthType>? Types { get; set; }
}
