namespace Connectors.Modules.Model;

/// <summary>RBAC ClusterRole.</summary>
public sealed class ClusterRole : IKubeObject
{
    public string? ApiVersion { get; set; } = "rbac.authorization.k8s.io/v1";

    public string? Kind { get; set; } = "ClusterRole";

    public ObjectMeta Metadata { get; set; } = new();

    public List<PolicyRule>? Rules { get; set; }
}
