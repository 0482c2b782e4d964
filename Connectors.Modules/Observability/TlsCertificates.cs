using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Connectors.Modules.Observability;

/// <summary>
/// The certificates the listeners serve TLS with: a self-signed CA and the server certificates it signs, all ECDSA
/// P-256 with SHA-256 and a random positive 128-bit serial (RFC 5280 §4.1.2.2). One factory for the embedded API's
/// throw-away CA, the webhook's self-managed Secret, the proxy's interception CA and the leaves it mints.
/// </summary>
internal static class TlsCertificates
{
    private const string SubjectKeyIdentifier = "2.5.29.14";
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    /// <summary>A CA (path length 0: it signs leaves only), with its private key; the caller disposes it.</summary>
    public static X509Certificate2 CreateAuthority(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    /// <summary>
    /// A TLS server certificate for <paramref name="names"/>, signed by <paramref name="authority"/> (which must hold its
    /// key), with its own private key; the caller disposes it.
    /// </summary>
    public static X509Certificate2 IssueServer(
        X509Certificate2 authority, X500DistinguishedName subject, SubjectAlternativeNameBuilder names, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(names);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        if (authority.Extensions[SubjectKeyIdentifier] is not null)
        {
            // An operator's CA may lack one (the proxy's interception CA can be brought); then no AKI, as before.
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        }
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(authority, notBefore, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>The PKCS#8 PEM of a certificate's ECDSA private key.</summary>
    public static string PrivateKeyPem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("the certificate holds no ECDSA private key", nameof(certificate));
        return key.ExportPkcs8PrivateKeyPem();
    }
}
