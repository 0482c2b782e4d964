namespace Connectors.Modules.Model;

/// <summary><c>SubjectAccessReviewSpec</c>.</summary>
public sealed class SubjectAccessReviewSpec
{
    public ResourceAttributes? ResourceAttributes { get; set; }

    public NonResourceAttributes? NonResourceAttributes { get; set; }

    public string? User { get; set; }

    public List<string>? Groups { get; set; }

    public string? Uid { get; set; }

    public Dictionary<string, List<string>>? Extra { get; set; }
}
