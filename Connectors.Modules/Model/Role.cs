namespace Connectors.Modules.Model;

/// <summary>RBAC Role.</summary>
public sealed class Role : IKubeObject
{
    public string? ApiVersion { get; set; } = "rbac.authorization.k8s.io/v1";

    public string? Kind { get; set; } = "Role";

    public ObjectMeta Metadata { get; set; } = new();

    public List<PolicyRule>? Rules { get; set; }
}
