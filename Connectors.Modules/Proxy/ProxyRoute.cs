namespace Connectors.Modules.Proxy;

/// <summary>How a request reached the proxy.</summary>
internal enum RouteKind
{
    /// <summary>Addressed to a Connector by Host (<c>c-&lt;name&gt;.&lt;ns&gt;.svc</c>) or path (<c>/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;</c>).</summary>
    Reverse,

    /// <summary>Absolute-form request-target, or a request inside an intercepted CONNECT tunnel.</summary>
    Forward,

    /// <summary>
    /// The registry path form <c>/v2/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;/...</c>: <see cref="ProxyRoute.PathAndQuery"/>
    /// is the registry's <c>/v2/...</c> target, <see cref="ProxyRoute.ProxyBase"/> the client's form of <c>/v2/</c>.
    /// </summary>
    Registry,

    /// <summary><c>/v2/</c> on the proxy itself: the registry API version check, which names no Connector.</summary>
    RegistryBase,

    /// <summary>Neither, or a request-target the proxy refuses: answered <see cref="ProxyRoute.Status"/> with <see cref="ProxyRoute.Error"/>.</summary>
    Invalid,
}

/// <summary>
/// The routing result. Reverse: the Connector, the rest of the raw path and query to append to its address, the
/// proxy base URL a <c>Location</c> on the Connector's address is rewritten to, and the path a cookie of the tool is
/// scoped to (the path form's <c>/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;</c>, "" in the host form). Forward: the
/// target URL, built verbatim from the checked raw path. <see cref="EncodedSlash"/>: the path holds <c>%2F</c>, which
/// is refused under an address with a path prefix.
/// </summary>
internal readonly record struct ProxyRoute(
    RouteKind Kind,
    ConnectorKey Connector,
    string PathAndQuery,
    string? ProxyBase,
    string CookieBase,
    Uri? Target,
    TunnelTarget? Tunnel,
    bool EncodedSlash,
    string? Error,
    int Status)
{
    public static ProxyRoute Reverse(ConnectorKey connector, string pathAndQuery, string proxyBase, string cookieBase, bool encodedSlash) =>
        new(RouteKind.Reverse, connector, pathAndQuery, proxyBase, cookieBase, null, null, encodedSlash, null, 0);

    public static ProxyRoute Registry(ConnectorKey connector, string upstreamPathAndQuery, string clientV2, bool encodedSlash) =>
        new(RouteKind.Registry, connector, upstreamPathAndQuery, clientV2, string.Empty, null, null, encodedSlash, null, 0);

    public static ProxyRoute RegistryBase() =>
        new(RouteKind.RegistryBase, default, "/v2/", null, string.Empty, null, null, false, null, 0);

    public static ProxyRoute Forward(Uri target, TunnelTarget? tunnel, bool encodedSlash) =>
        new(RouteKind.Forward, default, string.Empty, null, string.Empty, target, tunnel, encodedSlash, null, 0);

    public static ProxyRoute Invalid(string error, int status = 400) =>
        new(RouteKind.Invalid, default, string.Empty, null, string.Empty, null, null, false, error, status);
}
