using Connectors.Modules.Model;
using Connectors.Modules.Proxy;
using Connectors.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Connectors.Tests.Proxy;

[TestFixture]
public sealed class ProxyCaPoolTests
{
    [Test]
    public void Current_FlagAndLabelledSecrets_ReadAgainOnlyAfterTheRefreshInterval()
    {
        using var first = new TestCertificates("first");
        using var second = new TestCertificates("second");
        var directory = new InMemoryConnectorDirectory();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var pool = new ProxyCaPool(directory, Options.Create(new ProxyOptions()), clock);
        directory.Put(Labelled("first-ca", first.CaPem));
        directory.Put(Secrets.Of("unlabelled", "Opaque", ("ca.crt", second.CaPem)).WithNamespace(WellKnown.DefaultComponentsNamespace));

        var flagOff = pool.Current;
        directory.Put(new ConfigMap
        {
            Metadata = new ObjectMeta { Name = WellKnown.ConfigMapName, Namespace = WellKnown.DefaultComponentsNamespace },
            Data = new() { [FeatureFlags.CustomCaCerts] = "true" },
        });
        var cached = pool.Current;
        clock.Advance(ProxyCaPool.RefreshInterval);
        var flagOn = pool.Current;
        directory.Put(Labelled("second-ca", second.CaPem));
        var sameWindow = pool.Current;
        clock.Advance(ProxyCaPool.RefreshInterval);
        var both = pool.Current;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(flagOff, Is.Null);
            Assert.That(cached, Is.Null, "read again only after the refresh interval");
            Assert.That(flagOn!.Certificates.Select(c => c.Subject), Is.EqualTo(new[] { "CN=first" }), "unlabelled Secrets are not in the pool");
            Assert.That(sameWindow, Is.SameAs(flagOn));
            Assert.That(both!.Certificates.Select(c => c.Subject), Is.EquivalentTo(new[] { "CN=first", "CN=second" }));
        }
    }

    private static Secret Labelled(string name, string pem)
    {
        var secret = Secrets.Of(name, "Opaque", ("ca.crt", pem)).WithNamespace(WellKnown.DefaultComponentsNamespace);
        secret.Metadata.Labels = new() { [WellKnown.CaCertLabel] = "true" };
        return secret;
    }
}
