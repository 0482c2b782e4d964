using k8s;

namespace Connectors.Modules.Kube;

/// <summary>
/// Everything needed to reach one API server: the package's configuration (server, TLS, credentials, and the
/// <c>proxy-url</c> set on its handler), where it came from, and the token provider a 401 renews, if any.
/// </summary>
internal sealed record KubeClientConfig(KubernetesClientConfiguration Configuration, string Source, RenewableTokenProvider? Tokens)
{
    /// <summary>Base URL of the API server.</summary>
    public Uri Server { get; } = new(Configuration.Host);

    /// <summary>The context's namespace (or the ServiceAccount's namespace in a cluster); null when not set.</summary>
    public string? Namespace => Configuration.Namespace;
}
