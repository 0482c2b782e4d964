namespace Connectors.Modules.Registry;

/// <summary>
/// One challenge of a <c>WWW-Authenticate</c> header (RFC 9110 11.6.1): a scheme and its parameters, names
/// lower-cased. A registry asks for <c>Bearer realm="https://auth/token",service="registry",scope="repository:a:pull"</c>
/// (distribution token authentication) or for <c>Basic realm="..."</c>.
/// </summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>Whether this is a <c>Bearer</c> challenge (case-insensitive).</summary>
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether this is a <c>Basic</c> challenge (case-insensitive).</summary>
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>The token service URL of a Bearer challenge.</summary>
    public string? Realm => Parameters.GetValueOrDefault("realm");

    /// <summary>The <c>service</c> parameter, passed on to the token service as is.</summary>
    public string? Service => Parameters.GetValueOrDefault("service");

    /// <summary>The scopes the registry asks for (the <c>scope</c> parameter, space-separated), empty when it names none.</summary>
    public IReadOnlyList<string> Scopes =>
        Parameters.GetValueOrDefault("scope") is { Length: > 0 } scope ? scope.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];

    /// <summary>Every challenge in the given header values, in order; malformed parts are skipped, never thrown on.</summary>
    public static IReadOnlyList<AuthChallenge> Parse(IEnumerable<string> headerValues)
    {
        ArgumentNullException.ThrowIfNull(headerValues);
        var challenges = new List<AuthChallenge>();
        foreach (var value in headerValues)
        {
            ChallengeParser.Parse(value, challenges);
        }

        return challenges;
    }

    /// <summary>The first Bearer challenge with a realm, else the first Basic challenge, else null.</summary>
    public static AuthChallenge? Preferred(IReadOnlyList<AuthChallenge> challenges)
    {
        ArgumentNullException.ThrowIfNull(challenges);
        return challenges.FirstOrDefault(c => c.IsBearer && !string.IsNullOrEmpty(c.Realm)) ?? challenges.FirstOrDefault(c => c.IsBasic);
    }
}
