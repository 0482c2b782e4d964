using System.Text;
using Connectors.Modules.Model;
using Connectors.Modules.Observability;

namespace Connectors.Modules.Controller;

/// <summary>
/// Makes the CA the proxy signs its TLS interception certificates with: ECDSA P-256, self-signed, CA with path
/// length 0 (it signs leaf certificates only), valid ten years, as a <c>kubernetes.io/tls</c> Secret.
/// </summary>
internal static class ProxyCaGenerator
{
    public static readonly TimeSpan Validity = TimeSpan.FromDays(3650);

    /// <summary>A new CA Secret named <paramref name="name"/> in <paramref name="ns"/>, valid from <paramref name="now"/>.</summary>
    public static Secret Create(string ns, string name, DateTimeOffset now)
    {
        // Backdate a little so a skewed node clock does not reject a fresh CA.
        using var certificate = TlsCertificates.CreateAuthority("CN=Connectors Proxy CA, O=Connectors", now.AddMinutes(-5), now + Validity);
        return new Secret
        {
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = ns,
                Labels = new() { ["app.kubernetes.io/managed-by"] = "connectors-controller" },
            },
            Type = SecretTypes.Tls,
            Data = new()
            {
                ["tls.crt"] = Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n"),
                ["tls.key"] = Encoding.ASCII.GetBytes(TlsCertificates.PrivateKeyPem(certificate) + "\n"),
            },
        };
    }
}
