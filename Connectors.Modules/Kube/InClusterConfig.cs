using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Connectors.Modules.Kube;

/// <summary>
/// In-cluster configuration: <c>KUBERNETES_SERVICE_HOST</c>/<c>PORT</c>, the ServiceAccount CA and namespace, and the
/// projected token, re-read as the kubelet rotates it.
/// </summary>
internal static class InClusterConfig
{
    public const string DefaultDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>True when the process runs in a pod (the service host variable is set).</summary>
    public static bool IsAvailable(Func<string, string?> environment) =>
        !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST"));

    /// <exception cref="KubeConfigException">The variables or the ServiceAccount files are missing or invalid.</exception>
    public static KubeClientConfig Load(string directory, Func<string, string?> environment, TimeProvider timeProvider)
    {
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeConfigException("in-cluster configuration: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set; outside a cluster pass --kubeconfig");
        }

        var authority = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
        if (!Uri.TryCreate("https://" + authority, UriKind.Absolute, out var server))
        {
            throw new KubeConfigException($"in-cluster configuration: https://{authority} is not a valid URL");
        }

        var tokenPath = Path.Combine(directory, "token");
        if (!File.Exists(tokenPath))
        {
            throw new KubeConfigException($"in-cluster configuration: ServiceAccount token {tokenPath} does not exist");
        }

        var caPath = Path.Combine(directory, "ca.crt");
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(caPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new KubeConfigException($"in-cluster configuration: cannot read CA {caPath}: {e.Message}", e);
        }

        var nsPath = Path.Combine(directory, "namespace");
        return new KubeClientConfig
        {
            Server = server,
            Source = "in-cluster configuration",
            Namespace = File.Exists(nsPath) ? File.ReadAllText(nsPath).Trim() : null,
            CertificateAuthorities = roots.Count > 0 ? roots : throw new KubeConfigException($"in-cluster configuration: CA {caPath} holds no certificate"),
            Credentials = new TokenFileCredentials(tokenPath, timeProvider),
        };
    }
}
