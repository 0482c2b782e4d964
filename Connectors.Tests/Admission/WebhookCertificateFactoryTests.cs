using System.Security.Cryptography.X509Certificates;
using System.Text;
using Connectors.Modules.Admission;

namespace Connectors.Tests.Admission;

[TestFixture]
public sealed class WebhookCertificateFactoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Create_Leaf_ChainsToCaAndNamesTheService()
    {
        var secret = WebhookCertificateFactory.Create("connectors-system", "cert", "hook", TimeSpan.FromDays(365), Now);
        using var leaf = WebhookCertificateFactory.Load(secret)!;
        using var ca = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(secret.Data!["ca.crt"]));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.UtcDateTime.AddDays(1);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(chain.Build(leaf), Is.True, string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
            Assert.That(leaf.MatchesHostname("hook.connectors-system.svc"), Is.True);
            Assert.That(leaf.MatchesHostname("hook.connectors-system.svc.cluster.local"), Is.True);
            Assert.That(leaf.HasPrivateKey, Is.True);
            Assert.That(secret.Metadata.Labels![WebhookCertificateFactory.ManagedByLabel], Is.EqualTo(WebhookCertificateFactory.ManagedBy));
        }
    }

    [TestCase(200, false)]
    [TestCase(280, true)]
    public void NeedsRenewal_LastQuarter_True(int days, bool expected)
    {
        var secret = WebhookCertificateFactory.Create("ns", "cert", "hook", TimeSpan.FromDays(365), Now);
        Assert.That(WebhookCertificateFactory.NeedsRenewal(secret, Now.AddDays(days)), Is.EqualTo(expected));
    }

    [Test]
    public void NeedsRenewal_Unreadable_True()
    {
        var secret = WebhookCertificateFactory.Create("ns", "cert", "hook", TimeSpan.FromDays(365), Now);
        secret.Data!["tls.key"] = Encoding.ASCII.GetBytes("not a key");
        Assert.That(WebhookCertificateFactory.NeedsRenewal(secret, Now), Is.True);
    }
}
