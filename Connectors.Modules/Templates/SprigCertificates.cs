using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Connectors.Modules.Templates;

// Sprig's certificate functions (crypto.go): RSA-2048 keys, PEM output, a struct with .Cert and .Key.
// They use fresh keys, serial numbers and the clock, so they count as nondeterministic; buildCustomCert only
// parses and is always available.
internal static partial class SprigFunctions
{
    private const string CertificateType = "sprig.certificate";

    // buildCustomCert is a pure function of its arguments, and parsing certificates is costly: remember results.
    private static readonly BoundedCache<(string, string), GoStruct> CustomCerts = new(64);

    private static void RegisterCertificates(FunctionTable t)
    {
        const FunctionEffect random = FunctionEffect.Nondeterministic;
        const ParamKind L = ParamKind.List;
        const ParamKind C = ParamKind.Certificate;
        Add(t, "genCA", [S, I], null, a => MakeCa(Str(a[0]), Int(a[1]), NewRsa()), random);
        Add(t, "genCAWithKey", [S, I, S], null, a => MakeCa(Str(a[0]), Int(a[1]), ParseKey(Str(a[2]))), random);
        Add(t, "genSelfSignedCert", [S, L, L, I], null, a => MakeSigned(Str(a[0]), a[1], a[2], Int(a[3]), NewRsa(), null), random);
        Add(t, "genSelfSignedCertWithKey", [S, L, L, I, S], null, a => MakeSigned(Str(a[0]), a[1], a[2], Int(a[3]), ParseKey(Str(a[4])), null), random);
        Add(t, "genSignedCert", [S, L, L, I, C], null, a => MakeSigned(Str(a[0]), a[1], a[2], Int(a[3]), NewRsa(), (GoStruct)a[4]!), random);
        Add(t, "genSignedCertWithKey", [S, L, L, I, C, S], null, a => MakeSigned(Str(a[0]), a[1], a[2], Int(a[3]), ParseKey(Str(a[5])), (GoStruct)a[4]!), random);
        Add(t, "buildCustomCert", [S, S], null, a => CustomCerts.GetOrAdd((Str(a[0]), Str(a[1])), k => BuildCustomCert(k.Item1, k.Item2)));
        Add(t, "bcrypt", [S], null, a => Bcrypt.HashPassword(Str(a[0])), random);
        Add(t, "htpasswd", [S, S], null, a => Str(a[0]).Contains(':', StringComparison.Ordinal) ? $"invalid username: {Str(a[0])}" : $"{Str(a[0])}:{Bcrypt.HashPassword(Str(a[1]))}", random);
        Add(t, "derivePassword", [ParamKind.Uint32, S, S, S, S], null, a => MasterPassword.Derive((uint)(long)a[0]!, Str(a[1]), Str(a[2]), Str(a[3]), Str(a[4])));
    }

    private static GoStruct Certificate(string cert, string key) =>
        new(CertificateType, false, [new("Cert", cert), new("Key", key)]);

    private static RSA NewRsa() => RSA.Create(2048);

    private static AsymmetricAlgorithm ParseKey(string pem)
    {
        foreach (var create in new Func<AsymmetricAlgorithm>[] { RSA.Create, ECDsa.Create })
        {
            var key = create();
            try
            {
                key.ImportFromPem(pem);
                return key;
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                key.Dispose();
            }
        }

        throw new FunctionCallException("error parsing private key: unsupported or invalid PEM");
    }

    private static string KeyPem(AsymmetricAlgorithm key) => (key switch
    {
        RSA rsa => rsa.ExportRSAPrivateKeyPem(),
        ECDsa ec => ec.ExportECPrivateKeyPem(),
        _ => throw new FunctionCallException("unsupported key type"),
    }) + "\n";

    private static CertificateRequest Request(string cn, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => new CertificateRequest(new X500Name(cn).Name, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ec => new CertificateRequest(new X500Name(cn).Name, ec, HashAlgorithmName.SHA256),
        _ => throw new FunctionCallException("unsupported key type"),
    };

    private static GoStruct MakeCa(string cn, long days, AsymmetricAlgorithm key)
    {
        using (key)
        {
            var request = Request(cn, key);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            AddServerClientUsage(request);
            var now = DateTimeOffset.UtcNow;
            using var cert = request.CreateSelfSigned(now, now.AddDays(days));
            return Certificate(cert.ExportCertificatePem() + "\n", KeyPem(key));
        }
    }

    private static void AddServerClientUsage(CertificateRequest request) =>
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));

    private static GoStruct MakeSigned(string cn, object? ips, object? dns, long days, AsymmetricAlgorithm key, GoStruct? ca)
    {
        using (key)
        {
            var request = Request(cn, key);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            AddServerClientUsage(request);
            var san = new SubjectAlternativeNameBuilder();
            var any = false;
            foreach (var ip in Items(ips) ?? [])
            {
                var text = ip as string ?? throw new FunctionCallException($"error processing ip list: {GoFormatter.Sprint([ip])} is not a string");
                san.AddIpAddress(IPAddress.TryParse(text, out var address) ? address : throw new FunctionCallException($"error parsing ip: {text}"));
                any = true;
            }

            foreach (var name in Items(dns) ?? [])
            {
                san.AddDnsName(name as string ?? throw new FunctionCallException($"error processing alternate dns name: {GoFormatter.Sprint([name])} is not a string"));
                any = true;
            }

            if (any)
            {
                request.CertificateExtensions.Add(san.Build());
            }

            var now = DateTimeOffset.UtcNow;
            if (ca is null)
            {
                using var self = request.CreateSelfSigned(now, now.AddDays(days));
                return Certificate(self.ExportCertificatePem() + "\n", KeyPem(key));
            }

            ca.TryGetField("Cert", out var caCertPem);
            ca.TryGetField("Key", out var caKeyPem);
            using var caCert = X509Certificate2.CreateFromPem((string)caCertPem!);
            using var caKey = ParseKey((string)caKeyPem!);
            var generator = caKey is RSA rsa ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1) : X509SignatureGenerator.CreateForECDsa((ECDsa)caKey);
            using var cert = request.Create(caCert.SubjectName, generator, now, now.AddDays(days), RandomNumberGenerator.GetBytes(16));
            return Certificate(cert.ExportCertificatePem() + "\n", KeyPem(key));
        }
    }

    private static GoStruct BuildCustomCert(string b64cert, string b64key)
    {
        static string Decode(string b64, string what)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            }
            catch (FormatException)
            {
                throw new FunctionCallException($"unable to decode base64 {what}");
            }
        }

        var cert = Decode(b64cert, "certificate");
        var key = Decode(b64key, "private key");
        if (!PemEncoding.TryFind(cert, out _))
        {
            throw new FunctionCallException("unable to decode certificate");
        }

        if (!PemEncoding.TryFind(key, out _))
        {
            throw new FunctionCallException("unable to decode private key");
        }

        try
        {
            using var parsed = X509Certificate2.CreateFromPem(cert);
        }
        catch (CryptographicException e)
        {
            throw new FunctionCallException("error parsing certificate: " + e.Message);
        }

        using (ParseKey(key))
        {
            return Certificate(cert, key);
        }
    }

    private sealed class X500Name(string cn)
    {
        public X500DistinguishedName Name { get; } = new X500DistinguishedNameBuilder().Also(b => b.AddCommonName(cn)).Build();
    }
}
