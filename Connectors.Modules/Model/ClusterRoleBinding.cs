namespace Connectors.Modules.Model;

/// <summary>RBAC ClusterRoleBinding.</summary>
public sealed class ClusterRoleBinding : IKubeObject
{
    public string? ApiVersion { get; set; } = "rbac.authorization.k8s.io/v1";

    public string? Kind { get; set; } = "ClusterRoleBinding";

    public ObjectMeta Metadata { get; set; } = new();

    public RoleRef RoleRef { get; set; } = new();

    public List<RbacSubject>? Subjects { get; set; }
}
