namespace Connectors.Modules.Model;

/// <summary>rbac.authorization.k8s.io <c>Subject</c>: a User, Group or ServiceAccount.</summary>
public sealed class RbacSubject
{
    public string? Kind { get; set; }

    public string? ApiGroup { get; set; }

    public string? Name { get; set; }

    public string? Namespace { get; set; }
}
