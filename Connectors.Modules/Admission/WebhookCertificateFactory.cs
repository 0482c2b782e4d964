using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Connectors.Modules.Model;
using Connectors.Modules.Observability;

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
        var notBefore = now.AddMinutes(-5);
        using var ca = TlsCertificates.CreateAuthority($"CN={serviceName}-ca, O=Connectors", notBefore, now + validity);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in new[] { serviceName, $"{serviceName}.{ns}", $"{serviceName}.{ns}.svc", $"{serviceName}.{ns}.svc.cluster.local" })
        {
            names.AddDnsName(dns);
        }

        names.AddIpAddress(System.Net.IPAddress.Loopback);
        using var leaf = TlsCertificates.IssueServer(ca, new X500DistinguishedName($"CN={serviceName}.{ns}.svc"), names, notBefore, now + validity - TimeSpan.FromMinutes(1));
        return new Secret
        {
            Metadata = new ObjectMeta { Name = secretName, Namespace = ns, Labels = new() { [ManagedByLabel] = ManagedBy } },
            Type = SecretTypes.Tls,
            Data = new()
            {
                ["tls.crt"] = Encoding.ASCII.GetBytes(leaf.ExportCertificatePem() + "\n"),
                ["tls.key"] = Encoding.ASCII.GetBytes(TlsCertificates.PrivateKeyPem(leaf) + "\n"),
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
