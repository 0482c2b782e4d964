namespace Connectors.Modules.Model;

/// <summary>RBAC RoleBinding.</summary>
public sealed class RoleBinding : IKubeObject
{
    public string? ApiVersion { get; set; } = "rbac.authorization.k8s.io/v1";

    public string? Kind { get; set; } = "RoleBinding";

    public ObjectMeta Metadata { get; set; } = new();

    public RoleRef RoleRef { get; set; } = new();

    public List<RbacSubject>? Subjects { get; set; }
}
