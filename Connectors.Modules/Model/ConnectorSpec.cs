namespace Connectors.Modules.Model;

/// <summary><c>Connector.spec</c>.</summary>
public sealed class ConnectorSpec
{
    /// <summary>The tool's URL: a root URL or a URL with a path prefix.</summary>
    public string? Address { get; set; }

    /// <summary>Extra named addresses that reuse the credential (values are any JSON).</summary>
    public List<NamedValue>? AddressExtensions { get; set; }

    public ConnectorAuth? Auth { get; set; }

    /// <summary>Per-connector CA bundle Secret in the same namespace.</summary>
    public LocalObjectReference? CaCertSecretRef { get; set; }

    /// <summary>Name of the cluster-scoped ConnectorClass.</summary>
    public string? ConnectorClassName { get; set; }

    /// <summary>Class-declared parameters; defaults come from the class.</summary>
    public List<NamedValue>? Params { get; set; }
}
