namespace Connectors.Modules.Model;

/// <summary>A Kubernetes list (<c>ConnectorList</c>, <c>SecretList</c>, ...).</summary>
public sealed class KubeList<T>
    where T : IKubeObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ListMeta Metadata { get; set; } = new();

    public List<T> Items { get; set; } = [];
}
