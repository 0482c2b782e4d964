namespace Connectors.Modules.Proxy;

/// <summary>Outcome of checking a client's token for one Connector.</summary>
internal enum AccessOutcome
{
    Allowed,

    /// <summary>TokenReview did not authenticate the token (401/407).</summary>
    Unauthenticated,

    /// <summary>SubjectAccessReview denied the subject (403).</summary>
    Forbidden,

    /// <summary>The API server could not answer (503); not cached.</summary>
    Unavailable,
}

/// <summary>
/// A review result: the outcome, the subject (user name, safe to log) and a reason for the client. <paramref name="Local"/>:
/// decided without the API server (a forged or expired token), so not worth a cache entry: checking again is cheaper
/// than letting a flood of such tokens push real decisions out of the cache.
/// </summary>
internal sealed record AccessDecision(AccessOutcome Outcome, string? Subject, string? Reason, bool Local = false)
{
    public bool IsAllowed => Outcome == AccessOutcome.Allowed;
}
