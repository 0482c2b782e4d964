namespace Connectors.Modules.Model;

/// <summary><c>Connector.spec.auth</c>.</summary>
public sealed class ConnectorAuth
{
    /// <summary>One of the class's <c>spec.auth.types[].name</c>.</summary>
    public string? Name { get; set; }

    /// <summary>The credential Secret, in the Connector's namespace. Omitted for optional auth.</summary>
    public ObjectReference? SecretRef { get; set; }

    /// <summary>Parameters of the auth probe (for example git <c>repository</c>).</summary>
    public List<NamedValue>? Params { get; set; }
}
