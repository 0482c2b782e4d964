namespace Connectors.Modules.Model;

/// <summary>Kubernetes <c>ServiceSpec</c>: the fields Connectors reads or writes.</summary>
public sealed class ServiceSpec
{
    public string? Type { get; set; }

    public string? ExternalName { get; set; }

    public string? ClusterIP { get; set; }

    public List<ServicePort>? Ports { get; set; }

    public Dictionary<string, string>? Selector { get; set; }
}
