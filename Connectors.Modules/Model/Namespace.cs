namespace Connectors.Modules.Model;

/// <summary>Kubernetes Namespace.</summary>
public sealed class Namespace : IKubeObject
{
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "Namespace";

    public ObjectMeta Metadata { get; set; } = new();

    public NamespaceStatus? Status { get; set; }
}
