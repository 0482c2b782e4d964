using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Connectors.Modules.Model;

namespace Connectors.Modules.Admission;

/// <summary>
/// The webhook's serving certificate as operators make it without cert-manager: a self-signed CA (ECDSA P-256,
/// path length 0) and a leaf for the Service's DNS names (and 127.0.0.1 for the embedded mode), both valid for
/// the same period, in one <c>kubernetes.io/tls</c> Secret with <c>ca.crt</c>. A Secret is reused until less
/// than a quarter of its validity is left.
/// </summary>
internal static class WebhookCertificateFactory
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedBy = "connectors-controller";

    public static Secret Create(string ns, string secretName, string serviceName, TimeSpan validity, DateTimeOffset now)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={serviceName}-ca, O=Connectors", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var notBefore = now.AddMinutes(-5);
        using var ca = caRequest.CreateSelfSigned(notBefore, now + validity);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={serviceName}.{ns}.svc", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in new[] { serviceName, $"{serviceName}.{ns}", $"{serviceName}.{ns}.svc", $"{serviceName}.{ns}.svc.cluster.local" })
        {
            names.AddDnsName(dns);
        }

        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var leaf = request.Create(ca, notBefore, now + validity - TimeSpan.FromMinutes(1), serial);
        return new Secret
        {
            Metadata = new ObjectMeta { Name = secretName, Namespace = ns, Labels = new() { [ManagedByLabel] = ManagedBy } },
            Type = SecretTypes.Tls,
            Data = new()
            {
                ["tls.crt"] = Encoding.ASCII.GetBytes(leaf.ExportCertificatePem() + "\n"),
                ["tls.key"] = Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem() + "\n"),
                ["ca.crt"] = Encoding.ASCII.GetBytes(ca.ExportCertificatePem() + "\n"),
            },
        };
    }

    /// <summary>Whether the Secret's leaf has less than a quarter of its validity left (or cannot be read).</summary>
    public static bool NeedsRenewal(Secret secret, DateTimeOffset now)
    {
        using var leaf = Load(secret);
        if (leaf is null)
        {
            return true;
        }

        var lifetime = leaf.NotAfter - leaf.NotBefore;
        return now.UtcDateTime >= leaf.NotAfter.ToUniversalTime() - (lifetime / 4);
    }

    /// <summary>The serving certificate with its key, or null when the Secret does not hold a usable pair.</summary>
    public static X509Certificate2? Load(Secret secret)
    {
        if (secret.Data?.GetValueOrDefault("tls.crt") is not { } crt || secret.Data.GetValueOrDefault("tls.key") is not { } pem)
        {
            return null;
        }

        try
        {
            using var pair = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(crt), Encoding.ASCII.GetString(pem));
            // Through PKCS#12 so SslStream can use the key on every platform.
            return X509CertificateLoader.LoadPkcs12(pair.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
