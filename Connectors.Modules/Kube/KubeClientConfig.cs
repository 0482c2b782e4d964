using System.Security.Cryptography.X509Certificates;

namespace Connectors.Modules.Kube;

/// <summary>Everything needed to reach one API server: resolved from a kubeconfig context or from in-cluster files.</summary>
internal sealed record KubeClientConfig
{
    /// <summary>Base URL of the API server.</summary>
    public required Uri Server { get; init; }

    /// <summary>Where this came from, for error messages: <c>context "x" of kubeconfig /path</c> or <c>in-cluster configuration</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The context's namespace (or the ServiceAccount's namespace in a cluster); null when not set.</summary>
    public string? Namespace { get; init; }

    /// <summary>Roots the server certificate must chain to; null means the system trust store.</summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>SNI and verification name, when it differs from the server's host.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>Static client certificate with its private key.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The kubeconfig <c>proxy-url</c> (http, https or socks5); null means the environment's proxy settings.</summary>
    public Uri? ProxyUrl { get; init; }

    /// <summary>Bearer token, token file, basic auth or exec plugin; null when only a client certificate authenticates.</summary>
    public ICredentialSource? Credentials { get; init; }
}
