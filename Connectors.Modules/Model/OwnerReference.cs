namespace Connectors.Modules.Model;

/// <summary>Kubernetes <c>OwnerReference</c>: garbage collection of owned objects.</summary>
public sealed class OwnerReference
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Uid { get; set; }

    public bool? Controller { get; set; }

    public bool? BlockOwnerDeletion { get; set; }
}
