using System.Net;
using System.Security.Cryptography.X509Certificates;
using Connectors.Modules.Observability;

namespace Connectors.Modules.Embedded;

/// <summary>A throw-away CA and a loopback serving certificate it signs (ECDSA P-256), made at start.</summary>
internal sealed class ServingCertificate : IDisposable
{
    private ServingCertificate(X509Certificate2 authority, X509Certificate2 server)
    {
        Authority = authority;
        Server = server;
    }

    /// <summary>The CA certificate (public part only): what clients trust.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The serving certificate with its private key.</summary>
    public X509Certificate2 Server { get; }

    public string AuthorityPem => Authority.ExportCertificatePem();

    public static ServingCertificate Create(IPAddress listen, DateTimeOffset now)
    {
        using var ca = TlsCertificates.CreateAuthority("CN=connectors-embedded-ca", now.AddHours(-1), now.AddYears(10));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName("kubernetes.default.svc");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        if (!IPAddress.IsLoopback(listen) && !listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any))
        {
            names.AddIpAddress(listen);
        }

        using var withKey = TlsCertificates.IssueServer(ca, new X500DistinguishedName("CN=connectors-embedded"), names, now.AddHours(-1), now.AddYears(1));
        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        var authority = X509CertificateLoader.LoadCertificate(ca.RawData);
        return new ServingCertificate(authority, server);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
    }
}
