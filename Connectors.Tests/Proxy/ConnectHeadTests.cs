using System.Buffers;
using System.Text;
using Connectors.Modules.Proxy;

namespace Connectors.Tests.Proxy;

[TestFixture]
public sealed class ConnectHeadTests
{
    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.ASCII.GetBytes(text));

    [TestCase("CONNECT kube.example:6443 HTTP/1.1\r\nHost: kube.example:6443\r\nProxy-Authorization: Basic eA==\r\n\r\n", "kube.example", 6443, "Basic eA==")]
    [TestCase("CONNECT [::1]:8443 HTTP/1.1\r\n\r\n", "::1", 8443, null)]
    [TestCase("CONNECT 127.0.0.1:443 HTTP/1.0\r\nproxy-authorization:  Basic eQ== \r\n\r\n", "127.0.0.1", 443, "Basic eQ==")]
    public void Parse_ValidHead_HostPortCredential(string text, string host, int port, string? authorization)
    {
        var (head, error) = ConnectHead.Parse(Bytes(text));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.Null);
            Assert.That(head, Is.EqualTo(new ConnectHead(host, port, authorization)));
        }
    }

    [TestCase("CONNECT kube.example HTTP/1.1\r\n\r\n")]
    [TestCase("CONNECT kube.example:99999 HTTP/1.1\r\n\r\n")]
    [TestCase("CONNECT a b:1 HTTP/1.1\r\n\r\n")]
    [TestCase("CONNECT bad_host!:443 HTTP/1.1\r\n\r\n")]
    [TestCase("CONNECT x:1 SPDY/3\r\n\r\n")]
    public void Parse_Malformed_Error(string text)
    {
        var (head, error) = ConnectHead.Parse(Bytes(text));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(head, Is.Null);
            Assert.That(error, Is.Not.Null.And.Not.Empty);
        }
    }

    [TestCase("GET / HTTP/1.1\r\n", false)]
    [TestCase("CONN", null)]
    [TestCase("CONNECT ", true)]
    [TestCase("C", null)]
    [TestCase("POST", false)]
    public void LooksLikeConnect_Prefix(string text, bool? expected)
    {
        Assert.That(ConnectHead.LooksLikeConnect(Bytes(text)), Is.EqualTo(expected));
    }
}
