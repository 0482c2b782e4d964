namespace Connectors.Modules.Proxy;

/// <summary>
/// Reverse mode: response headers that name the tool's own address are rewritten to the address the client used.
/// A redirect (<c>Location</c>) to the Connector's address goes to the proxy base, so clients such as git keep going
/// through the proxy and never learn to call the tool directly. A cookie (<c>Set-Cookie</c>) loses its
/// <c>Domain</c> and its <c>Path</c> is put under <paramref name="CookieBase"/> (as nginx's
/// <c>proxy_cookie_path</c>/<c>proxy_cookie_domain</c> do): in the path form every Connector shares the proxy's
/// host, and one tool's cookie must not be sent to another.
/// </summary>
internal sealed record ReverseRewrite(Uri Address, string ProxyBase, string CookieBase)
{
    public string Rewrite(string location)
    {
        if (!Uri.TryCreate(location, UriKind.Absolute, out var target)
            || !ConnectorAddresses.SameOrigin(Address, target.Scheme, target.Host, target.Port)
            || !ConnectorAddresses.UnderPrefix(Address, target.AbsolutePath))
        {
            return location;
        }

        var rest = target.PathAndQuery[ConnectorAddresses.PathPrefix(Address).Length..];
        return ProxyBase.TrimEnd('/') + (rest.Length == 0 || rest[0] == '/' || rest[0] == '?' ? rest : "/" + rest) + target.Fragment;
    }

    /// <summary>One <c>Set-Cookie</c> value with <c>Domain</c> dropped and <c>Path</c> scoped to the Connector.</summary>
    public string RewriteCookie(string setCookie)
    {
        var parts = setCookie.Split(';');
        var builder = new System.Text.StringBuilder(setCookie.Length + CookieBase.Length + 8).Append(parts[0].Trim());
        string? path = null;
        for (var i = 1; i < parts.Length; i++)
        {
            var attribute = parts[i].Trim();
            var equals = attribute.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? attribute : attribute[..equals]).TrimEnd();
            if (name.Equals("Domain", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (name.Equals("Path", StringComparison.OrdinalIgnoreCase))
            {
                path = equals < 0 ? string.Empty : attribute[(equals + 1)..].Trim();
                continue;
            }

            if (attribute.Length > 0)
            {
                builder.Append("; ").Append(attribute);
            }
        }

        return builder.Append("; Path=").Append(ScopedPath(path)).ToString();
    }

    /// <summary>
    /// The tool's cookie path under the Connector: a path below the address prefix keeps its rest; any other (or none,
    /// whose default would be the request's directory, possibly above the Connector) becomes the Connector's root.
    /// </summary>
    private string ScopedPath(string? path)
    {
        var prefix = ConnectorAddresses.PathPrefix(Address);
        var rest = !string.IsNullOrEmpty(path) && path[0] == '/' && ConnectorAddresses.UnderPrefix(prefix, path) ? path[prefix.Length..] : string.Empty;
        return CookieBase + (rest.Length == 0 ? "/" : rest);
    }
}
