namespace Connectors.Modules.Proxy;

/// <summary>
/// Reverse mode: a redirect to the Connector's own address is rewritten to the proxy address the client used, so
/// clients such as git keep going through the proxy (and never learn to call the tool directly).
/// </summary>
internal sealed record LocationRewrite(Uri Address, string ProxyBase)
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
}
