namespace Connectors.Modules.Proxy;

/// <summary>
/// An intercepted CONNECT tunnel: the authority it was opened to and the proxy credential of the CONNECT. Kept in
/// the connection's items so every request decrypted inside the tunnel is authorized and injected like an
/// absolute-form request to <c>https://Host:Port</c>.
/// </summary>
internal sealed record TunnelTarget(string Host, int Port, ProxyCredential Credential)
{
    /// <summary>The connection item key.</summary>
    public static readonly object ItemKey = new();

    public string Authority => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
