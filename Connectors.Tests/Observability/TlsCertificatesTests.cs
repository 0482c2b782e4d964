using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Connectors.Modules.Observability;

namespace Connectors.Tests.Observability;

[TestFixture]
public sealed class TlsCertificatesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void IssueServer_FromCreatedAuthority_ChainsAndNamesTheHost()
    {
        using var ca = TlsCertificates.CreateAuthority("CN=test-ca", Now.AddMinutes(-5), Now.AddDays(30));
        using var leaf = TlsCertificates.IssueServer(ca, new X500DistinguishedName("CN=hook.ns.svc"), Names("hook.ns.svc"), Now.AddMinutes(-5), Now.AddDays(1));
        var constraints = ca.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(constraints.CertificateAuthority, Is.True);
            Assert.That(constraints.PathLengthConstraint, Is.Zero);
            Assert.That(Chains(ca, leaf), Is.True);
            Assert.That(leaf.MatchesHostname("hook.ns.svc"), Is.True);
            Assert.That(leaf.MatchesHostname("127.0.0.1"), Is.True);
            Assert.That(leaf.HasPrivateKey, Is.True);
            Assert.That(leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier.HasValue, Is.True);
            Assert.That(TlsCertificates.PrivateKeyPem(ca), Does.StartWith("-----BEGIN PRIVATE KEY-----"));
        }
    }

    [Test]
    public void IssueServer_AuthorityWithoutSubjectKeyIdentifier_IssuesWithoutAuthorityKeyIdentifier()
    {
        // An operator's CA (the proxy's interception CA may be brought) need not carry a Subject Key Identifier.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=brought-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));

        using var leaf = TlsCertificates.IssueServer(ca, new X500DistinguishedName("CN=git.example.com"), Names("git.example.com"), Now.AddMinutes(-5), Now.AddDays(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Chains(ca, leaf), Is.True);
            Assert.That(leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>(), Is.Empty);
        }
    }

    private static SubjectAlternativeNameBuilder Names(string dns)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dns);
        names.AddIpAddress(IPAddress.Loopback);
        return names;
    }

    private static bool Chains(X509Certificate2 ca, X509Certificate2 leaf)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.UtcDateTime.AddHours(1);
        return chain.Build(leaf);
    }
}
