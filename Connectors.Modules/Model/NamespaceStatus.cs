namespace Connectors.Modules.Model;

/// <summary>Kubernetes <c>NamespaceStatus</c>.</summary>
public sealed class NamespaceStatus
{
    public string? Phase { get; set; }
}
