using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Connectors.Modules.Model;
using Connectors.Modules.Observability;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Proxy;

/// <summary>
/// The interception CA from Secret <c>connectors-proxy-ca</c> (type kubernetes.io/tls, components namespace) and
/// the leaf certificates it signs: ECDSA P-256, SAN = the CONNECT host (DNS name or IP), short validity, kept in an
/// LRU cache. A changed Secret (new object from the watch cache) replaces the CA and empties the cache.
/// </summary>
internal sealed class ProxyCertificateAuthority(IConnectorDirectory directory, IOptions<ProxyOptions> options, TimeProvider timeProvider) : IDisposable
{
    private readonly ProxyOptions _options = options.Value;
    private readonly Lock _gate = new();
    private Secret? _source;
    private X509Certificate2? _ca;
    private LeafCache? _leaves;

    /// <summary>A TLS server context for <paramref name="host"/>, or the reason interception is unavailable.</summary>
    public (SslStreamCertificateContext? Context, string? Error) GetLeaf(string host)
    {
        var (ca, leaves, error) = Current();
        if (ca is null || leaves is null)
        {
            return (null, error);
        }

        var now = timeProvider.GetUtcNow();
        if (leaves.TryGet(host, now, out var cached))
        {
            return (cached, null);
        }

        try
        {
            var minted = Mint(ca, host, now);
            leaves.Add(host, minted.Context, minted.NotAfter, now);
            return (minted.Context, null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return (null, $"TLS interception is unavailable: cannot issue a certificate for {host}: {e.Message}");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _ca?.Dispose();
        }
    }

    private (X509Certificate2? Ca, LeafCache? Leaves, string? Error) Current()
    {
        var secret = directory.GetSecret(_options.ComponentsNamespace, WellKnown.ProxyCaSecretName);
        var where = $"Secret \"{_options.ComponentsNamespace}/{WellKnown.ProxyCaSecretName}\"";
        if (secret is null)
        {
            return (null, null, $"TLS interception is unavailable: {where} not found");
        }

        lock (_gate)
        {
            if (ReferenceEquals(secret, _source))
            {
                return (_ca, _leaves, _ca is null ? $"TLS interception is unavailable: {where} holds no usable tls.crt/tls.key" : null);
            }

            _source = secret;
            _ca?.Dispose();
            _ca = Load(secret);
            _leaves = _ca is null ? null : new LeafCache(_options.LeafCacheSize);
            return (_ca, _leaves, _ca is null ? $"TLS interception is unavailable: {where} holds no usable tls.crt/tls.key" : null);
        }
    }

    private static X509Certificate2? Load(Secret secret)
    {
        var certificate = Read(secret, "tls.crt");
        var key = Read(secret, "tls.key");
        if (certificate is null || key is null)
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPem(certificate, key);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static string? Read(Secret secret, string key) =>
        secret.Data?.TryGetValue(key, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : secret.StringData?.GetValueOrDefault(key);

    private (SslStreamCertificateContext Context, DateTimeOffset NotAfter) Mint(X509Certificate2 ca, string host, DateTimeOffset now)
    {
        var names = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(host, out var ip))
        {
            names.AddIpAddress(ip);
        }
        else
        {
            names.AddDnsName(host);
        }

        // A little back-dating tolerates clock skew, but never before the CA itself is valid.
        var notBefore = now.AddMinutes(-5) < ca.NotBefore ? new DateTimeOffset(ca.NotBefore.ToUniversalTime()) : now.AddMinutes(-5);
        var notAfter = now + _options.LeafValidity;
        if (notAfter > ca.NotAfter)
        {
            notAfter = ca.NotAfter;
        }

        var leaf = TlsCertificates.IssueServer(ca, new X500DistinguishedName("CN=" + (host.Length <= 64 ? host : host[..64])), names, notBefore, notAfter);
        var chain = new X509Certificate2Collection { X509CertificateLoader.LoadCertificate(ca.RawData) };
        return (SslStreamCertificateContext.Create(leaf, chain, offline: true), notAfter);
    }
}
