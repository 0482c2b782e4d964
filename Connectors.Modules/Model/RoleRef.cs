namespace Connectors.Modules.Model;

/// <summary>rbac.authorization.k8s.io <c>RoleRef</c>.</summary>
public sealed class RoleRef
{
    public string? ApiGroup { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }
}
