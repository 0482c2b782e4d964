using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;

namespace Connectors.Modules.Kube;

/// <summary>
/// The socket handler for one API server, from the package's configuration: its CA check
/// (<see cref="Kubernetes.CertificateValidationCallBack"/>), <c>insecure-skip-tls-verify</c>, the client certificate
/// and <c>tls-server-name</c>, then its <see cref="KubernetesClientConfiguration.FirstMessageHandlerSetup"/> (where
/// <c>proxy-url</c> is set). Built here rather than by constructing the package's <see cref="Kubernetes"/> client,
/// whose thousands of typed operations cost each role ~9 MiB of memory at idle (docs/decisions.md, "Kubernetes client").
/// </summary>
internal static class KubeHttpHandler
{
    /// <exception cref="KubeConfigException">The client certificate and key cannot be loaded.</exception>
    public static SocketsHttpHandler Create(KubeClientConfig config)
    {
        var configuration = config.Configuration;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.GZip,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
            EnableMultipleHttp2Connections = true,
        };
        var roots = configuration.SslCaCerts is { Count: > 0 } authorities ? authorities : null;
        handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            configuration.SkipTlsVerify
            || errors == SslPolicyErrors.None
            || (roots is not null && certificate is not null && chain is not null && Kubernetes.CertificateValidationCallBack(sender, roots, certificate, chain, errors));

        // client-go: the name the server certificate is checked against (and SNI), not the Host header.
        handler.SslOptions.TargetHost = configuration.TlsServerName is { Length: > 0 } name ? name : null;
        if (ClientCertificate(configuration, config.Source) is { } certificate)
        {
            handler.SslOptions.ClientCertificates = [certificate];
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }

        configuration.FirstMessageHandlerSetup?.Invoke(handler);
        return handler;
    }

    /// <summary>The certificate of <c>client-certificate(-data)</c> and <c>client-key(-data)</c>, or of an exec plugin.</summary>
    private static X509Certificate2? ClientCertificate(KubernetesClientConfiguration configuration, string source)
    {
        var certificate = Pem(configuration.ClientCertificateData, configuration.ClientCertificateFilePath);
        var key = Pem(configuration.ClientCertificateKeyData, configuration.ClientKeyFilePath);
        if (certificate is null || key is null)
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPem(certificate, key);
        }
        catch (CryptographicException e)
        {
            throw new KubeConfigException($"{source}: client certificate and key are not a usable PEM pair: {e.Message}", e);
        }
    }

    private static string? Pem(string? base64, string? path)
    {
        try
        {
            return !string.IsNullOrEmpty(path) ? File.ReadAllText(path)
                : !string.IsNullOrEmpty(base64) ? Encoding.UTF8.GetString(Convert.FromBase64String(base64))
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new KubeConfigException($"client certificate or key: {e.Message}", e);
        }
    }
}
