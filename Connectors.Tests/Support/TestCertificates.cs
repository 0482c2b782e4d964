using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Connectors.Modules.Model;

namespace Connectors.Tests.Support;

/// <summary>A throw-away CA and server certificates it signs, for TLS origins and the proxy's interception CA.</summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string name = "connectors test CA")
    {
        var request = new CertificateRequest("CN=" + name, _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public X509Certificate2 Ca { get; }

    public string CaPem => Ca.ExportCertificatePem();

    public string CaKeyPem => _caKey.ExportPkcs8PrivateKeyPem();

    /// <summary>The CA as the <c>connectors-proxy-ca</c> Secret (kubernetes.io/tls).</summary>
    public Secret ProxyCaSecret(string ns = WellKnown.DefaultComponentsNamespace) => new()
    {
        Metadata = new ObjectMeta { Name = WellKnown.ProxyCaSecretName, Namespace = ns },
        Type = SecretTypes.Tls,
        Data = new() { ["tls.crt"] = System.Text.Encoding.UTF8.GetBytes(CaPem), ["tls.key"] = System.Text.Encoding.UTF8.GetBytes(CaKeyPem) },
    };

    /// <summary>A server certificate for 127.0.0.1 and localhost, with its key, usable by Kestrel.</summary>
    public X509Certificate2 Server(params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test server", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        foreach (var dns in dnsNames)
        {
            names.AddDnsName(dns);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var issued = request.Create(Ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Kestrel on Linux wants an exportable key: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        Ca.Dispose();
        _caKey.Dispose();
    }
}
