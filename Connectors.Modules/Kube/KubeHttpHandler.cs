using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Connectors.Modules.Kube;

/// <summary>Builds the socket handler for one API server: TLS trust, client certificates, proxy.</summary>
internal static class KubeHttpHandler
{
    public static SocketsHttpHandler Create(KubeClientConfig config)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.GZip,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
            EnableMultipleHttp2Connections = true,
        };
        if (config.ProxyUrl is { } proxyUrl)
        {
            handler.Proxy = CreateProxy(proxyUrl);
            handler.UseProxy = true;
        }

        handler.SslOptions.TargetHost = config.TlsServerName;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            config.InsecureSkipTlsVerify || Validate(config, certificate, chain, errors);
        if (config.ClientCertificate is not null || config.Credentials?.ClientCertificate is not null || config.Credentials is ExecCredentials)
        {
            // Exec plugins may return a new certificate after a refresh: pick the current one per handshake.
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) =>
                (X509Certificate?)config.Credentials?.ClientCertificate ?? config.ClientCertificate!;
        }

        return handler;
    }

    private static WebProxy CreateProxy(Uri proxyUrl)
    {
        // kubectl honours user:password in proxy-url (percent-decoded) as proxy Basic credentials.
        var proxy = new WebProxy(new UriBuilder(proxyUrl) { UserName = string.Empty, Password = string.Empty }.Uri);
        if (!string.IsNullOrEmpty(proxyUrl.UserInfo))
        {
            var parts = proxyUrl.UserInfo.Split(':', 2);
            proxy.Credentials = new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
        }

        return proxy;
    }

    private static bool Validate(KubeClientConfig config, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (config.CertificateAuthorities is null)
        {
            return errors == SslPolicyErrors.None;
        }

        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        // The kubeconfig CA is the only root: build the chain against it alone.
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(config.CertificateAuthorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }
}
