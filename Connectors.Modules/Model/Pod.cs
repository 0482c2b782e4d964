namespace Connectors.Modules.Model;

/// <summary>Kubernetes Pod: only what the CSI driver reads (identity, ServiceAccount, node).</summary>
public sealed class Pod : IKubeObject
{
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "Pod";

    public ObjectMeta Metadata { get; set; } = new();

    public PodSpec? Spec { get; set; }

    public PodStatus? Status { get; set; }
}
