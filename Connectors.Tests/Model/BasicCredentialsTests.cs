using System.Text;
using Connectors.Modules.Model;

namespace Connectors.Tests.Model;

[TestFixture]
public sealed class BasicCredentialsTests
{
    [Test]
    public void Encode_UserAndPassword_Rfc7617Example()
    {
        // RFC 7617 §2's example.
        Assert.That(BasicCredentials.Encode("Aladdin", "open sesame"), Is.EqualTo("QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
    }

    [TestCase("robot$ci", "pa:ss:wörd")]
    [TestCase("", "token-only")]
    [TestCase("ns/name,ns2/name2", "")]
    public void TryDecode_Encoded_SplitsAtFirstColon(string user, string password)
    {
        var ok = BasicCredentials.TryDecode(BasicCredentials.Encode(user, password), out var decodedUser, out var decodedPassword);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ok, Is.True);
            Assert.That(decodedUser, Is.EqualTo(user));
            Assert.That(decodedPassword, Is.EqualTo(password));
        }
    }

    [TestCase("not base64!")]
    [TestCase("QWxhZGRpbg")]
    public void TryDecode_NotBase64_False(string encoded)
    {
        Assert.That(BasicCredentials.TryDecode(encoded, out _, out _), Is.False);
    }

    [Test]
    public void TryDecode_NoColon_False()
    {
        Assert.That(BasicCredentials.TryDecode(Convert.ToBase64String(Encoding.UTF8.GetBytes("Aladdin")), out _, out _), Is.False);
    }
}
