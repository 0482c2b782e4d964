using System.Text;

namespace Connectors.Modules.Csi;

/// <summary>
/// The files every volume gets unless excluded (original §5.4): the token, the proxy address, the forward
/// proxy URLs with credentials, a <c>.env</c> and the proxy CA under its three names.
/// </summary>
internal static class BuiltinFiles
{
    public const string NoProxy = "localhost,127.0.0.1";

    public static void Add(IDictionary<string, string> files, string token, IReadOnlyList<MountedConnector> connectors, string caPem)
    {
        // When several connectors are mounted, the last connector's proxy wins, like its class's files do.
        var proxyAddress = connectors[^1].ProxyAddress;
        var forward = ForwardProxyUrl(proxyAddress, connectors.Select(c => c.Ref), token);
        files["context.token"] = token;
        files["connector.status.proxyAddress"] = proxyAddress;
        files["http.proxy"] = forward;
        files["https.proxy"] = forward;
        files[".env"] = $"http_proxy={forward}\nhttps_proxy={forward}\nno_proxy={NoProxy}\n";
        files["context.proxy.caCert"] = caPem;
        files["ca.crt"] = caPem;
        files["ca.cert"] = caPem;
    }

    /// <summary>
    /// <c>&lt;scheme&gt;://&lt;ns&gt;%2F&lt;name&gt;[,&lt;ns&gt;%2F&lt;name&gt;...]:&lt;token&gt;@&lt;host[:port]&gt;</c>: the proxy
    /// reads the Connectors from the user name and the ServiceAccount token from the password.
    /// </summary>
    public static string ForwardProxyUrl(string proxyAddress, IEnumerable<ConnectorRef> connectors, string token)
    {
        var schemeEnd = proxyAddress.IndexOf("://", StringComparison.Ordinal);
        var scheme = proxyAddress[..schemeEnd];
        var rest = proxyAddress[(schemeEnd + 3)..];
        var hostEnd = rest.IndexOfAny(['/', '?', '#']);
        var host = hostEnd < 0 ? rest : rest[..hostEnd];
        var at = host.LastIndexOf('@');
        if (at >= 0)
        {
            host = host[(at + 1)..];
        }

        var user = new StringBuilder();
        foreach (var connector in connectors)
        {
            user.Append(user.Length == 0 ? string.Empty : ",").Append(connector.Namespace).Append("%2F").Append(connector.Name);
        }

        return $"{scheme}://{user}:{Uri.EscapeDataString(token)}@{host}";
    }
}
