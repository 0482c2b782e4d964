namespace Connectors.Modules.Model;

/// <summary>One auth type a class accepts: its Secret type, whether it is optional, its parameters.</summary>
public sealed class AuthType
{
    public string Name { get; set; } = string.Empty;

    /// <summary>Kubernetes Secret type, e.g. <c>kubernetes.io/basic-auth</c>.</summary>
    public string? SecretType { get; set; }

    public bool? Optional { get; set; }

    public List<ParamSpec>? Params { get; set; }

    public string? DisplayName { get; set; }

    public string? Description { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public AuthGenerator? Generator { get; set; }
}
