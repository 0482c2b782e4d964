namespace Connectors.Modules.Proxy;

/// <summary>What the proxy can tell about a token before asking the API server.</summary>
internal enum TokenShape
{
    /// <summary>Not a JWT signed by a known issuer key (static or OIDC tokens, or junk): only a TokenReview can tell.</summary>
    Unverified,

    /// <summary>A JWT whose signature checks out with the ServiceAccount issuer's key and which is within its validity.</summary>
    Verified,

    /// <summary>Signed with a known key id but the signature is wrong, or expired or not yet valid: refused without a review.</summary>
    Rejected,
}

/// <summary>The local verdict and, when <see cref="TokenShape.Rejected"/>, why.</summary>
internal readonly record struct TokenPrecheck(TokenShape Shape, string? Reason)
{
    public static readonly TokenPrecheck Unverified = new(TokenShape.Unverified, null);

    public static readonly TokenPrecheck Verified = new(TokenShape.Verified, null);
}
