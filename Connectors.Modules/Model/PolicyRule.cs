namespace Connectors.Modules.Model;

/// <summary>rbac.authorization.k8s.io <c>PolicyRule</c>.</summary>
public sealed class PolicyRule
{
    public List<string>? ApiGroups { get; set; }

    public List<string>? Resources { get; set; }

    public List<string>? Verbs { get; set; }

    public List<string>? ResourceNames { get; set; }

    public List<string>? NonResourceURLs { get; set; }
}
