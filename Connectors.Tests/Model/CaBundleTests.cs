using System.Text;
using Connectors.Modules.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Model;

[TestFixture]
public sealed class CaBundleTests
{
    [Test]
    public void TryRead_CrtPemAndPemValuedKeys_AllCertificatesOtherKeysIgnored()
    {
        using var one = new TestCertificates("one");
        using var two = new TestCertificates("two");
        using var three = new TestCertificates("three");
        var secret = Secrets.Of("ca", "Opaque", ("a.crt", one.CaPem), ("b.pem", two.CaPem), ("bundle", three.CaPem), ("readme.txt", "not a certificate"));

        var read = CaBundle.TryRead(secret, out var bundle, out var problem);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read, Is.True, problem);
            Assert.That(bundle!.Certificates.Select(c => c.Subject), Is.EquivalentTo(new[] { "CN=one", "CN=two", "CN=three" }));
            Assert.That(bundle.Key, Is.EqualTo(CaBundle.FromSecret(Secrets.Of("other", "Opaque", ("x.crt", string.Join("\n", three.CaPem, two.CaPem, one.CaPem))))!.Key));
        }
    }

    [TestCase("ca.crt", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "key \"ca.crt\" is not valid PEM certificate data")]
    [TestCase("ca.crt", "just text", "key \"ca.crt\" holds no PEM certificate")]
    [TestCase("token", "just text", "no key ending in .crt or .pem and no PEM certificate value")]
    public void TryRead_Unusable_FalseWithTheReason(string key, string value, string expected)
    {
        var read = CaBundle.TryRead(new Secret { Data = new() { [key] = Encoding.UTF8.GetBytes(value) } }, out var bundle, out var problem);
        Assert.That((read, bundle, problem), Is.EqualTo((false, (CaBundle?)null, expected)));
    }

    [Test]
    public void FromSecret_SameSecretObject_ParsedOnceNewObjectParsedAgain()
    {
        using var ca = new TestCertificates("memo");
        var secret = Secrets.Of("ca", "Opaque", ("ca.crt", ca.CaPem));
        var copy = Secrets.Of("ca", "Opaque", ("ca.crt", ca.CaPem));

        var first = CaBundle.FromSecret(secret);
        var again = CaBundle.FromSecret(secret);
        var ofCopy = CaBundle.FromSecret(copy);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again, Is.SameAs(first));
            Assert.That(ofCopy, Is.Not.SameAs(first));
            Assert.That(ofCopy!.Key, Is.EqualTo(first!.Key));
        }
    }
}
