namespace Connectors.Modules.Probes;

/// <summary>A probe ready to send: method, absolute URL, headers (values may hold credentials: never log them).</summary>
/// <param name="Method"><c>GET</c> or <c>POST</c>.</param>
/// <param name="Url">The absolute URL, path and query as rendered.</param>
/// <param name="Headers">Header names (Go-canonical) and values, repeats allowed; a <c>Host</c> entry sets the Host header.</param>
/// <param name="FollowRedirects">Follow 3xx answers within the URL's origin (Go's default, up to 10); false reports the 3xx itself.</param>
public sealed record ProbeRequest(string Method, Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers, bool FollowRedirects)
{
    /// <summary>CAs trusted besides the system's (the Connector's <c>caCertSecretRef</c>); null = system CAs only.</summary>
    public Model.CaBundle? TrustedCas { get; init; }

    /// <summary>
    /// The class's <c>response.cel</c>, compiled; null = success is any 2xx. With a condition, the condition alone
    /// decides success (the status code is one of its variables; docs/decisions.md "CEL").
    /// </summary>
    public CelCondition? Condition { get; init; }

    /// <summary>
    /// The class is in registry mode: a 401 with a <c>Bearer</c> challenge is answered with a token from the challenge's
    /// realm, fetched with the probe's own Basic credentials, and the probe sent again with it (distribution token flow).
    /// </summary>
    public bool RegistryTokenFlow { get; init; }

    /// <summary>Reached by following a redirect: the URL came from the tool's <c>Location</c>, not from the class.</summary>
    public bool Redirected { get; init; }

    /// <summary>
    /// The URL as messages (and so the Connector's status) show it: without user info, and without the query once it
    /// came from a redirect (a tool's <c>Location</c> may carry a session or signed-URL token).
    /// </summary>
    public string DisplayUrl => Redirected ? LogUrl : WithoutUserInfo;

    /// <summary>The URL without user info and query (a query may carry a token), as logs show it.</summary>
    public string LogUrl => WithoutUserInfo.Split('?', 2)[0];

    private string WithoutUserInfo =>
        Url.UserInfo.Length == 0 ? Url.OriginalString : Url.OriginalString.Replace(Url.UserInfo + "@", string.Empty, StringComparison.Ordinal);
}
