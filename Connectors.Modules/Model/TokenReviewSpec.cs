namespace Connectors.Modules.Model;

/// <summary><c>TokenReviewSpec</c>. An empty audience list means the API server's default audience.</summary>
public sealed class TokenReviewSpec
{
    public string? Token { get; set; }

    public List<string>? Audiences { get; set; }
}
