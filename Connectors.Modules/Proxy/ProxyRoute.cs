namespace Connectors.Modules.Proxy;

/// <summary>How a request reached the proxy.</summary>
internal enum RouteKind
{
    /// <summary>Addressed to a Connector by Host (<c>c-&lt;name&gt;.&lt;ns&gt;.svc</c>) or path (<c>/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;</c>).</summary>
    Reverse,

    /// <summary>Absolute-form request-target, or a request inside an intercepted CONNECT tunnel.</summary>
    Forward,

    /// <summary>Neither: answered 404 (or 400) with <see cref="ProxyRoute.Error"/>.</summary>
    Invalid,
}

/// <summary>
/// The routing result. Reverse: the Connector, the rest of the raw path and query to append to its address, and the
/// proxy base URL a <c>Location</c> on the Connector's address is rewritten to. Forward: the target URL.
/// </summary>
internal readonly record struct ProxyRoute(
    RouteKind Kind,
    ConnectorKey Connector,
    string PathAndQuery,
    string? ProxyBase,
    Uri? Target,
    TunnelTarget? Tunnel,
    string? Error)
{
    public static ProxyRoute Reverse(ConnectorKey connector, string pathAndQuery, string proxyBase) =>
        new(RouteKind.Reverse, connector, pathAndQuery, proxyBase, null, null, null);

    public static ProxyRoute Forward(Uri target, TunnelTarget? tunnel) =>
        new(RouteKind.Forward, default, string.Empty, null, target, tunnel, null);

    public static ProxyRoute Invalid(string error) => new(RouteKind.Invalid, default, string.Empty, null, null, null, error);
}
