using System.Text.Json.Nodes;
using Connectors.Modules.Model;

namespace Connectors.Modules.Proxy;

/// <summary>The Kubernetes calls the proxy makes to check a client token, and what it knows of the API server's health.</summary>
internal interface IAccessReviewClient
{
    /// <summary>Why no review can be made now (the API server is unreachable), or null. Never holds a credential.</summary>
    string? Unreachable { get; }

    /// <summary>Cancelled the moment the API server is found unreachable: reviews under way stop waiting.</summary>
    CancellationToken LostToken { get; }

    /// <summary>A review is taking unusually long: check the API server now rather than at the next tick.</summary>
    void Suspect();

    /// <summary>
    /// Reviews <paramref name="token"/>; an empty audience list means the API server's default audience.
    /// <paramref name="verified"/>: the token's signature was checked locally, so the call may skip the client-side rate limit.
    /// </summary>
    Task<ReviewCall<TokenReview>> ReviewTokenAsync(string token, IReadOnlyList<string> audiences, bool verified, CancellationToken cancellationToken);

    /// <summary>Asks whether a user may do something; <paramref name="verified"/> as for <see cref="ReviewTokenAsync"/>.</summary>
    Task<ReviewCall<SubjectAccessReview>> ReviewAccessAsync(SubjectAccessReview review, bool verified, CancellationToken cancellationToken);

    /// <summary>The ServiceAccount issuer's public keys (<c>/openid/v1/jwks</c>), or why they cannot be read.</summary>
    Task<ReviewCall<JsonNode>> ReadIssuerKeysAsync(CancellationToken cancellationToken);
}

/// <summary>A review's answer, or why the API server could not give one (<paramref name="Value"/> is then null).</summary>
internal readonly record struct ReviewCall<T>(T? Value, string? Error)
    where T : class;
