using Connectors.Modules.Probes;

namespace Connectors.Tests.Probes;

[TestFixture]
public sealed class ProbeUrlTests
{
    [TestCase("https://git.example.com/gitlab", null, null, "/api/v4/user", "https://git.example.com/api/v4/user")]
    [TestCase("https://git.example.com:8443/x/", null, null, "/org/repo.git/info/refs?service=git-upload-pack", "https://git.example.com:8443/org/repo.git/info/refs?service=git-upload-pack")]
    [TestCase("https://git.example.com", "git.example.com", null, "/", "https://git.example.com/")]
    [TestCase("https://git.example.com", "other.example.com:8080", null, "/health", "http://other.example.com:8080/health")]
    [TestCase("https://git.example.com", "other.example.com", "https", "/health", "https://other.example.com/health")]
    [TestCase("http://127.0.0.1:8080", null, "https", "health", "https://127.0.0.1:8080/health")]
    public void Compose_PathPrefixRule_AppendsToSchemeAndHost(string address, string? host, string? scheme, string path, string expected)
    {
        var (url, error) = ProbeUrl.Compose(address, host, scheme, path);
        Assert.That((url?.ToString(), error), Is.EqualTo((expected, (string?)null)));
    }

    [Test]
    public void Compose_RelativeAddress_Error()
    {
        var (_, error) = ProbeUrl.Compose("git.example.com", null, null, "/");
        Assert.That(error, Is.EqualTo("connector address \"git.example.com\" is not an absolute URL"));
    }

    [TestCase("/r.git HTTP/1.1\r\nX-Evil: 1\r\n\r\nGET /smuggled")]
    [TestCase("/r.git\nX-Evil: 1")]
    [TestCase("/r.git\0")]
    [TestCase("/r.git\u007f")]
    public void Compose_PathWithControlCharacter_ErrorWithoutThePath(string path)
    {
        // The URL is built verbatim and its path written to the request line as it is: a line break there ends the
        // request and starts another on a connection the probes of other Connectors of the same tool reuse.
        var (url, error) = ProbeUrl.Compose("http://git.example.com", null, null, path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(url, Is.Null);
            Assert.That(error, Does.Contain("control character").And.Not.Contain("r.git"));
        }
    }

    [TestCase("authorization", "Authorization")]
    [TestCase("x-api-KEY", "X-Api-Key")]
    [TestCase("PRIVATE-TOKEN", "Private-Token")]
    [TestCase("bad header", "bad header")]
    public void CanonicalHeaderName_GoRules(string name, string expected) =>
        Assert.That(ProbeUrl.CanonicalHeaderName(name), Is.EqualTo(expected));
}
