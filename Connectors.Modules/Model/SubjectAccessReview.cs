namespace Connectors.Modules.Model;

/// <summary>authorization.k8s.io SubjectAccessReview: may this user do this verb on this resource.</summary>
public sealed class SubjectAccessReview : IKubeObject
{
    public string? ApiVersion { get; set; } = "authorization.k8s.io/v1";

    public string? Kind { get; set; } = "SubjectAccessReview";

    public ObjectMeta Metadata { get; set; } = new();

    public SubjectAccessReviewSpec Spec { get; set; } = new();

    public SubjectAccessReviewStatus? Status { get; set; }
}
