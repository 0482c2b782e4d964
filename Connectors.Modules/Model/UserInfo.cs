namespace Connectors.Modules.Model;

/// <summary>authentication.k8s.io <c>UserInfo</c>.</summary>
public sealed class UserInfo
{
    public string? Username { get; set; }

    public string? Uid { get; set; }

    public List<string>? Groups { get; set; }

    public Dictionary<string, List<string>>? Extra { get; set; }
}
