using Connectors.Modules.Registry;
using Microsoft.AspNetCore.Http;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Finds where a request goes: a CONNECT tunnel's requests are forward; an absolute-form target is forward unless its
/// host is a Connector host; a Host <c>c-&lt;name&gt;.&lt;ns&gt;.svc[.cluster.local][:port]</c> or a path
/// <c>/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;/...</c> is reverse. The registry path form
/// <c>/v2/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;/...</c> names its Connector whatever the Host (images are
/// <c>c-&lt;name&gt;.&lt;ns&gt;.svc/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;/repo</c> as well as
/// <c>&lt;proxy&gt;/namespaces/...</c>); any other <c>/v2</c> path on the proxy's own host is the registry API's and
/// names no Connector.
/// </summary>
internal static class RequestRouter
{
    private const string PathPrefix = "/namespaces/";

    public static ProxyRoute Route(string rawTarget, string? host, string scheme, TunnelTarget? tunnel)
    {
        if (tunnel is not null)
        {
            if (!rawTarget.StartsWith('/'))
            {
                return ProxyRoute.Invalid("inside a CONNECT tunnel the request-target must be origin-form");
            }

            return Checked(rawTarget, out var slash, out var refused) is false
                ? refused
                : UpstreamUri.Create("https://" + tunnel.Authority, rawTarget) is { } inTunnel
                    ? ProxyRoute.Forward(inTunnel, tunnel, slash)
                    : ProxyRoute.Invalid("invalid request-target");
        }

        if (!rawTarget.StartsWith('/'))
        {
            return RouteAbsolute(rawTarget, scheme);
        }

        if (Checked(rawTarget, out var encodedSlash, out var invalid) is false)
        {
            return invalid;
        }

        if (RegistryPathResolver.TryResolve(rawTarget, out var registryNs, out var registryName, out var registryTarget))
        {
            return ProxyRoute.Registry(new ConnectorKey(registryNs, registryName), registryTarget, RegistryPathResolver.ClientPrefix(registryNs, registryName), encodedSlash);
        }

        if (host is not null && TryConnectorHost(StripPort(host), out var byHost))
        {
            return ProxyRoute.Reverse(byHost, rawTarget, $"{scheme}://{host}", string.Empty, encodedSlash);
        }

        if (IsRegistryApi(rawTarget))
        {
            return UpstreamUri.PathOf(rawTarget) is "/v2" or "/v2/"
                ? ProxyRoute.RegistryBase()
                : ProxyRoute.Invalid(
                    "no Connector addressed: an image through the proxy is <proxy>/namespaces/<namespace>/connectors/<name>/<repository>[:tag], "
                    + "its API /v2/namespaces/<namespace>/connectors/<name>/<repository>/...", 404);
        }

        if (rawTarget.StartsWith(PathPrefix, StringComparison.Ordinal) && TryConnectorPath(rawTarget, out var byPath, out var rest))
        {
            var basePath = $"{PathPrefix}{byPath.Namespace}/connectors/{byPath.Name}";
            return ProxyRoute.Reverse(byPath, rest, $"{scheme}://{host}{basePath}", basePath, encodedSlash);
        }

        return ProxyRoute.Invalid(
            "no Connector addressed: use Host c-<name>.<namespace>.svc, the path /namespaces/<namespace>/connectors/<name>/..., or this proxy as an HTTP proxy",
            404);
    }

    /// <summary>Whether an origin-form target is under the distribution API root <c>/v2</c>.</summary>
    internal static bool IsRegistryApi(string rawTarget) =>
        rawTarget.StartsWith("/v2", StringComparison.Ordinal) && (rawTarget.Length == 3 || rawTarget[3] is '/' or '?');

    private static ProxyRoute RouteAbsolute(string rawTarget, string scheme)
    {
        if (!Uri.TryCreate(rawTarget, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
        {
            return ProxyRoute.Invalid("the request-target must be a path or an absolute http(s) URL");
        }

        var (authority, pathAndQuery) = UpstreamUri.SplitAbsolute(rawTarget);
        if (authority.AsSpan().IndexOfAny(['#', '\\', '@']) >= 0)
        {
            // Uri ends the authority at '#' and '\\' too, so the raw path must start where Uri's does; '@' is userinfo,
            // which RFC 9110 4.2.4 deprecates and a recipient should treat as an error.
            return ProxyRoute.Invalid("the request-target's authority must not contain userinfo ('@'), '#' or '\\'");
        }

        if (Checked(pathAndQuery, out var encodedSlash, out var invalid) is false)
        {
            return invalid;
        }

        if (TryConnectorHost(parsed.Host, out var addressed))
        {
            return ProxyRoute.Reverse(addressed, pathAndQuery, $"{scheme}://{parsed.Authority}", string.Empty, encodedSlash);
        }

        var origin = parsed.GetLeftPart(UriPartial.Authority);
        return UpstreamUri.Create(origin, pathAndQuery.StartsWith('/') ? pathAndQuery : "/" + pathAndQuery) is { } target
            ? ProxyRoute.Forward(target, null, encodedSlash)
            : ProxyRoute.Invalid("invalid request-target");
    }

    /// <summary>Applies <see cref="PathRule"/> to the path of <paramref name="pathAndQuery"/>; false with a 400 route when refused.</summary>
    private static bool Checked(string pathAndQuery, out bool encodedSlash, out ProxyRoute refused)
    {
        var verdict = PathRule.Check(UpstreamUri.PathOf(pathAndQuery), out var reason);
        encodedSlash = verdict == PathVerdict.EncodedSlash;
        refused = verdict == PathVerdict.Refused ? ProxyRoute.Invalid(reason!) : default;
        return verdict != PathVerdict.Refused;
    }

    /// <summary>Reads <c>c-&lt;name&gt;.&lt;ns&gt;.svc</c> or <c>c-&lt;name&gt;.&lt;ns&gt;.svc.cluster.local</c> (case-insensitive).</summary>
    internal static bool TryConnectorHost(string host, out ConnectorKey connector)
    {
        connector = default;
        var span = host.AsSpan().TrimEnd('.');
        if (span.Length < 8 || !span.StartsWith("c-", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var firstDot = span.IndexOf('.');
        if (firstDot <= 2)
        {
            return false;
        }

        var afterName = span[(firstDot + 1)..];
        var secondDot = afterName.IndexOf('.');
        if (secondDot <= 0)
        {
            return false;
        }

        var suffix = afterName[(secondDot + 1)..];
        if (!suffix.Equals("svc", StringComparison.OrdinalIgnoreCase) && !suffix.Equals("svc.cluster.local", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        connector = new ConnectorKey(afterName[..secondDot].ToString().ToLowerInvariant(), span[2..firstDot].ToString().ToLowerInvariant());
        return true;
    }

    private static bool TryConnectorPath(string rawTarget, out ConnectorKey connector, out string rest)
    {
        connector = default;
        rest = string.Empty;
        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? rawTarget : rawTarget[..query];
        var segments = path[PathPrefix.Length..].Split('/', 4);
        if (segments.Length < 3 || segments[0].Length == 0 || segments[1] != "connectors" || segments[2].Length == 0)
        {
            return false;
        }

        connector = new ConnectorKey(Uri.UnescapeDataString(segments[0]), Uri.UnescapeDataString(segments[2]));
        rest = (segments.Length == 4 ? "/" + segments[3] : string.Empty) + (query < 0 ? string.Empty : rawTarget[query..]);
        return true;
    }

    private static string StripPort(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon > 0 && host.IndexOf(']', StringComparison.Ordinal) < colon ? host[..colon] : host;
    }

    /// <summary>The raw request-target as the client sent it (path and query not decoded).</summary>
    public static string RawTarget(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();
}
