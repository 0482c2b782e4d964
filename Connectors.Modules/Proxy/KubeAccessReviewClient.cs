using Connectors.Modules.Kube;
using Connectors.Modules.Model;

namespace Connectors.Modules.Proxy;

/// <summary>TokenReview and SubjectAccessReview through the Kubernetes API client.</summary>
internal sealed class KubeAccessReviewClient(KubeClient client) : IAccessReviewClient
{
    public async Task<ReviewCall<TokenReview>> ReviewTokenAsync(string token, IReadOnlyList<string> audiences, CancellationToken cancellationToken)
    {
        var result = await client.ReviewTokenAsync(token, audiences, cancellationToken);
        return result.IsOk ? new(result.Value, null) : new(null, $"{result.Outcome}: {result.Message}");
    }

    public async Task<ReviewCall<SubjectAccessReview>> ReviewAccessAsync(SubjectAccessReview review, CancellationToken cancellationToken)
    {
        var result = await client.ReviewAccessAsync(review, cancellationToken);
        return result.IsOk ? new(result.Value, null) : new(null, $"{result.Outcome}: {result.Message}");
    }
}
