using Connectors.Modules.Model;

namespace Connectors.Modules.Proxy;

/// <summary>The two Kubernetes calls the proxy makes: TokenReview and SubjectAccessReview.</summary>
internal interface IAccessReviewClient
{
    /// <summary>Reviews <paramref name="token"/>; an empty audience list means the API server's default audience.</summary>
    Task<ReviewCall<TokenReview>> ReviewTokenAsync(string token, IReadOnlyList<string> audiences, CancellationToken cancellationToken);

    Task<ReviewCall<SubjectAccessReview>> ReviewAccessAsync(SubjectAccessReview review, CancellationToken cancellationToken);
}

/// <summary>A review's answer, or why the API server could not give one (<paramref name="Value"/> is then null).</summary>
internal readonly record struct ReviewCall<T>(T? Value, string? Error)
    where T : class;
