namespace Connectors.Modules.Proxy;

/// <summary>
/// Checks a registry's <c>Location</c> (upload sessions, redirects) and maps it back to the path the client used.
/// <para>
/// Mapping (reverse mode, <see cref="ClientV2"/> set): <c>/v2/&lt;rest&gt;</c> on the registry, absolute (same origin)
/// or path-absolute, becomes <see cref="ClientV2"/> + <c>&lt;rest&gt;</c> (<c>/v2/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;/</c>
/// in the registry path form), a path-absolute reference the client resolves against the proxy address it called. A
/// path-absolute Location outside <c>/v2/</c> is made absolute on the registry's origin (resolved against the proxy it
/// would name another of the proxy's paths). In forward mode the client talks to the registry's own origin: nothing is mapped.
/// </para>
/// <para>
/// Refused (the client then gets nothing of the answer): an upload session's Location (on a 201, 202 or 204) that is
/// not on the registry's own origin or not under its <c>/v2/</c>, since clients send the session the credential they
/// sent the registry (the workload's ServiceAccount token); a Location on another origin whose path is a <c>/v2/</c> API
/// path; a Location naming the proxy's own address; and any checked Location with a dot segment (<c>.</c>,
/// <c>..</c>, also percent-encoded) or a backslash in its path, which a client would resolve to another Connector.
/// Any other Location on another host (blob storage a blob GET is redirected to, which clients fetch without the
/// registry's credential) passes unchanged. The reason of a refusal never carries the Location's path or query.
/// </para>
/// </summary>
internal sealed record RegistryLocation(Uri Registry, string? ClientV2, string? ProxyAuthority = null)
{
    /// <summary>The Location to give the client, or why none may be given.</summary>
    public (string? Location, string? Refusal) Map(string location, int status)
    {
        var session = status is 201 or 202 or 204;
        var form = Classify(location, out var pathAndQuery, out var target);
        var path = PathOf(pathAndQuery);
        var api = path is "/v2" || path.StartsWith("/v2/", StringComparison.Ordinal);
        var suspicious = PathRule.HasDotSegment(path) || path.Contains('\\', StringComparison.Ordinal);
        switch (form)
        {
            case Form.PathAbsolute or Form.SameOrigin:
                if (suspicious)
                {
                    return (null, "it has a dot segment (. or ..) or a backslash in its path");
                }

                if (api)
                {
                    return (ClientV2 is null ? location : ClientV2 + pathAndQuery[4..], null);
                }

                if (session)
                {
                    return (null, "it names an upload session outside the registry's /v2/ API");
                }

                return (form == Form.PathAbsolute && ClientV2 is not null ? Registry.GetLeftPart(UriPartial.Authority) + location : location, null);
            case Form.Relative:
                return suspicious ? (null, "it has a dot segment (. or ..) or a backslash in its path") : (location, null);
            case Form.Unclear:
                return session || api || suspicious ? (null, "it cannot be read unambiguously (another scheme, user info or a backslash in its authority)") : (location, null);
            default:
                var host = target!.IdnHost;
                if (session)
                {
                    return (null, $"it names an upload session on another origin ({target.Scheme}://{host}:{target.Port}) than the registry's");
                }

                if (api)
                {
                    return (null, $"it names a /v2/ API path on another origin ({target.Scheme}://{host}:{target.Port}) than the registry's");
                }

                if (ProxyAuthority is not null && (string.Equals(target.Authority, ProxyAuthority, StringComparison.OrdinalIgnoreCase)
                                                   || string.Equals($"{target.Host}:{target.Port}", ProxyAuthority, StringComparison.OrdinalIgnoreCase)))
                {
                    return (null, "it names the proxy's own address");
                }

                return (location, null);
        }
    }

    private Form Classify(string location, out string pathAndQuery, out Uri? target)
    {
        target = null;
        pathAndQuery = location;
        if (location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal) && !location.StartsWith("/\\", StringComparison.Ordinal))
        {
            return Form.PathAbsolute;
        }

        // Scheme-relative (also with a backslash, which some clients read as a slash): on the registry's scheme.
        var absolute = location.StartsWith("//", StringComparison.Ordinal) || location.StartsWith("/\\", StringComparison.Ordinal)
            || location.StartsWith('\\')
            ? Registry.Scheme + "://" + location.TrimStart('/', '\\')
            : location;
        var scheme = absolute.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0 || !Uri.TryCreate(absolute, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
        {
            // No scheme: a relative reference, resolved against the client's own request (a colon before any slash
            // would make it a URI of another scheme: kept, and checked as unclear).
            var colon = location.IndexOf(':', StringComparison.Ordinal);
            var slash = location.IndexOfAny(['/', '?', '#']);
            return colon >= 0 && (slash < 0 || colon < slash) ? Form.Unclear : Form.Relative;
        }

        // The raw path and query as the registry wrote them, not Uri's re-escaped form.
        var (authority, raw) = UpstreamUri.SplitAbsolute(absolute);
        pathAndQuery = raw;
        if (authority.AsSpan().IndexOfAny('@', '\\') >= 0)
        {
            return Form.Unclear;
        }

        target = parsed;
        return ConnectorAddresses.SameOrigin(Registry, parsed.Scheme, parsed.Host, parsed.Port) ? Form.SameOrigin : Form.Foreign;
    }

    private static string PathOf(string pathAndQuery)
    {
        var end = pathAndQuery.IndexOfAny(['?', '#']);
        return end < 0 ? pathAndQuery : pathAndQuery[..end];
    }

    private enum Form
    {
        PathAbsolute,
        SameOrigin,
        Foreign,
        Relative,
        Unclear,
    }
}
