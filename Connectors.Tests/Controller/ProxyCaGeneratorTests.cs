using System.Security.Cryptography.X509Certificates;
using System.Text;
using Connectors.Modules.Controller;
using Connectors.Modules.Model;

namespace Connectors.Tests.Controller;

[TestFixture]
public sealed class ProxyCaGeneratorTests
{
    [Test]
    public void Create_Always_TlsSecretWithEcdsaCaThatSignsLeaves()
    {
        var now = DateTimeOffset.UtcNow;
        var secret = ProxyCaGenerator.Create("connectors-system", WellKnown.ProxyCaSecretName, now);
        using var ca = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(secret.Data!["tls.crt"]), Encoding.ASCII.GetString(secret.Data["tls.key"]));
        var constraints = ca.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        using var key = ca.GetECDsaPrivateKey();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(secret.Type, Is.EqualTo(SecretTypes.Tls));
            Assert.That(secret.Metadata.Name, Is.EqualTo("connectors-proxy-ca"));
            Assert.That(constraints.CertificateAuthority, Is.True);
            Assert.That(constraints.PathLengthConstraint, Is.Zero);
            Assert.That(key, Is.Not.Null);
            Assert.That(ca.NotAfter, Is.GreaterThan(now.AddYears(9).UtcDateTime));
        }

        // The CA can issue a server certificate that chains to it.
        using var leafKey = System.Security.Cryptography.ECDsa.Create();
        var request = new CertificateRequest("CN=git.example.com", leafKey, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var leaf = request.Create(ca, now.AddMinutes(-1), now.AddDays(1), [1, 2, 3, 4]);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.That(chain.Build(leaf), Is.True);
    }
}
