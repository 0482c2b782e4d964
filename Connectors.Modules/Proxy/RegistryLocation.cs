namespace Connectors.Modules.Proxy;

/// <summary>
/// Maps a registry's <c>Location</c> (upload sessions, redirects) back to the path the client used: <c>/v2/&lt;rest&gt;</c>
/// on the registry, absolute (same origin) or path-absolute, becomes <see cref="ClientV2"/> + <c>&lt;rest&gt;</c>
/// (<c>/v2/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;/</c> in the registry path form). A path-absolute reference is
/// written, which clients resolve against the proxy address they called. Any other Location (blob storage on
/// another host, a path outside <c>/v2/</c>) passes unchanged.
/// </summary>
internal sealed record RegistryLocation(Uri Registry, string ClientV2)
{
    public string Rewrite(string location)
    {
        string pathAndQuery;
        if (location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal))
        {
            pathAndQuery = location;
        }
        else if (Uri.TryCreate(location, UriKind.Absolute, out var target)
                 && ConnectorAddresses.SameOrigin(Registry, target.Scheme, target.Host, target.Port))
        {
            // The raw path and query as the registry wrote them, not Uri's re-escaped form.
            var (_, raw) = UpstreamUri.SplitAbsolute(location);
            pathAndQuery = raw;
        }
        else
        {
            return location;
        }

        return pathAndQuery.StartsWith("/v2/", StringComparison.Ordinal) ? ClientV2 + pathAndQuery[4..] : location;
    }
}
