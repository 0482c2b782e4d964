namespace Connectors.Modules.Proxy;

/// <summary>A forward-mode client's credential: the Connectors it names and its ServiceAccount token.</summary>
internal sealed record ProxyCredential(IReadOnlyList<ConnectorKey> Connectors, string Token)
{
    /// <summary>
    /// The token's <see cref="AccessReviewer.Hash(ReadOnlySpan{char})"/>, computed once: an intercepted tunnel checks every
    /// request inside it with the credential of its CONNECT.
    /// </summary>
    public string TokenHash { get; } = AccessReviewer.Hash(Token);

    /// <summary>Never prints the token.</summary>
    public override string ToString() => string.Join(',', Connectors);
}
