namespace Connectors.Modules.Model;

/// <summary>authentication.k8s.io TokenReview: who does a ServiceAccount token belong to.</summary>
public sealed class TokenReview : IKubeObject
{
    public string? ApiVersion { get; set; } = "authentication.k8s.io/v1";

    public string? Kind { get; set; } = "TokenReview";

    public ObjectMeta Metadata { get; set; } = new();

    public TokenReviewSpec Spec { get; set; } = new();

    public TokenReviewStatus? Status { get; set; }
}
