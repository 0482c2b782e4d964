namespace Connectors.Modules.Proxy;

/// <summary>A forward-mode client's credential: the Connectors it names and its ServiceAccount token.</summary>
internal sealed record ProxyCredential(IReadOnlyList<ConnectorKey> Connectors, string Token)
{
    /// <summary>Never prints the token.</summary>
    public override string ToString() => string.Join(',', Connectors);
}
