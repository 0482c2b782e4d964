namespace Connectors.Modules.Model;

/// <summary>Kubernetes <c>Status</c>: the body of every API error.</summary>
public sealed class KubeStatus
{
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "Status";

    public ListMeta? Metadata { get; set; }

    public string? Status { get; set; }

    public string? Message { get; set; }

    public string? Reason { get; set; }

    public KubeStatusDetails? Details { get; set; }

    public int Code { get; set; }
}
