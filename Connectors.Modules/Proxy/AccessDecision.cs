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

/// <summary>A review result: the outcome, the subject (user name, safe to log) and a reason for the client.</summary>
internal sealed record AccessDecision(AccessOutcome Outcome, string? Subject, string? Reason)
{
    public bool IsAllowed => Outcome == AccessOutcome.Allowed;
}
