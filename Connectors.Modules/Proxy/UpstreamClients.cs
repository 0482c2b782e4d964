using System.Collections.Concurrent;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Connectors.Modules.Model;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Pooled upstream connections: one <see cref="SocketsHttpHandler"/> for tools with public certificates, plus one
/// per distinct CA bundle a Connector names (<c>spec.caCertSecretRef</c>), which trusts the system CAs and that
/// bundle. No redirects are followed, no cookies kept, nothing decompressed, no proxy used, no trace headers added.
/// </summary>
internal sealed class UpstreamClients : IDisposable
{
    private readonly ProxyOptions _options;
    private readonly HttpMessageInvoker _default;
    private readonly ConcurrentDictionary<string, HttpMessageInvoker> _withBundle = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<Secret, HttpMessageInvoker> _bySecret = new();

    public UpstreamClients(IOptions<ProxyOptions> options)
    {
        _options = options.Value;
        _default = new HttpMessageInvoker(CreateHandler(null), disposeHandler: true);
    }

    /// <summary>
    /// The invoker for a Connector whose <c>caCertSecretRef</c> Secret is <paramref name="caSecret"/> (key <c>ca.crt</c>;
    /// null = system CAs only). Resolved once per Secret object: the watch cache hands out a new one on change.
    /// </summary>
    public HttpMessageInvoker For(Secret? caSecret) =>
        caSecret is null ? _default : _bySecret.GetValue(caSecret, secret => For(ReadBundle(secret)));

    /// <summary>The invoker for a PEM CA bundle (null or empty = system CAs only).</summary>
    public HttpMessageInvoker For(string? caBundlePem)
    {
        if (string.IsNullOrWhiteSpace(caBundlePem))
        {
            return _default;
        }

        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(caBundlePem)));
        return _withBundle.GetOrAdd(key, static (_, state) => CreateForBundle(state.Owner, state.Pem), (Owner: this, Pem: caBundlePem));
    }

    public void Dispose()
    {
        _default.Dispose();
        foreach (var invoker in _withBundle.Values)
        {
            invoker.Dispose();
        }
    }

    private static string? ReadBundle(Secret secret) =>
        secret.Data?.TryGetValue("ca.crt", out var bytes) == true ? Encoding.UTF8.GetString(bytes) : secret.StringData?.GetValueOrDefault("ca.crt");

    private SocketsHttpHandler CreateHandler(RemoteCertificateValidationCallback? validation) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        ConnectTimeout = _options.ConnectTimeout,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        // Bounds how long a connection outlives a DNS change of the tool.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ActivityHeadersPropagator = null,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = validation },
    };

    private static HttpMessageInvoker CreateForBundle(UpstreamClients owner, string pem)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(pem);
        var handler = owner.CreateHandler((_, certificate, chain, errors) => Validate(bundle, certificate, chain, errors));
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>System trust first; on a chain error only, a second chain rooted in the Connector's bundle.</summary>
    internal static bool Validate(X509Certificate2Collection bundle, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null || bundle.Count == 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(bundle);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }
}
