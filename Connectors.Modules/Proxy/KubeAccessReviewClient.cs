using System.Text.Json.Nodes;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;

namespace Connectors.Modules.Proxy;

/// <summary>TokenReview, SubjectAccessReview and the issuer's keys through the Kubernetes API client.</summary>
internal sealed class KubeAccessReviewClient(KubeClient client) : IAccessReviewClient
{
    public string? Unreachable => client.Reachability.Problem;

    public CancellationToken LostToken => client.Reachability.LostToken;

    public void Suspect() => client.Reachability.Suspect();

    public async Task<ReviewCall<TokenReview>> ReviewTokenAsync(string token, IReadOnlyList<string> audiences, bool verified, CancellationToken cancellationToken)
    {
        var result = await client.ReviewTokenAsync(token, audiences, limited: !verified, cancellationToken);
        return result.IsOk ? new(result.Value, null) : new(null, $"{result.Outcome}: {result.Message}");
    }

    public async Task<ReviewCall<SubjectAccessReview>> ReviewAccessAsync(SubjectAccessReview review, bool verified, CancellationToken cancellationToken)
    {
        var result = await client.ReviewAccessAsync(review, limited: !verified, cancellationToken);
        return result.IsOk ? new(result.Value, null) : new(null, $"{result.Outcome}: {result.Message}");
    }

    public async Task<ReviewCall<JsonNode>> ReadIssuerKeysAsync(CancellationToken cancellationToken)
    {
        var result = await client.GetRawAsync("/openid/v1/jwks", cancellationToken);
        return result.IsOk ? new(result.Value, null) : new(null, $"{result.Outcome}: {result.Message}");
    }
}
