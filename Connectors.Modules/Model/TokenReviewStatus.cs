namespace Connectors.Modules.Model;

/// <summary><c>TokenReviewStatus</c>.</summary>
public sealed class TokenReviewStatus
{
    public bool? Authenticated { get; set; }

    public UserInfo? User { get; set; }

    public List<string>? Audiences { get; set; }

    public string? Error { get; set; }
}
