using Connectors.Modules.Proxy;

namespace Connectors.Tests.Registry;

[TestFixture]
public sealed class RegistryRewriteTests
{
    private static readonly RegistryLocation PathForm = new(new Uri("http://registry.example.com:5000/v2/a/blobs/uploads/"), "/v2/namespaces/team/connectors/reg/");

    [TestCase("http://registry.example.com:5000/v2/demo/app/blobs/uploads/u1?_state=a%2Bb", 202, "/v2/namespaces/team/connectors/reg/demo/app/blobs/uploads/u1?_state=a%2Bb")]
    [TestCase("/v2/demo/app/blobs/uploads/u1?_state=s", 202, "/v2/namespaces/team/connectors/reg/demo/app/blobs/uploads/u1?_state=s")]
    [TestCase("HTTP://REGISTRY.example.com:5000/v2/demo/blobs/sha256:1", 201, "/v2/namespaces/team/connectors/reg/demo/blobs/sha256:1")]
    [TestCase("//registry.example.com:5000/v2/demo/x", 202, "/v2/namespaces/team/connectors/reg/demo/x")]
    [TestCase("https://storage.example.net/bucket/blob?sig=x", 307, "https://storage.example.net/bucket/blob?sig=x")]
    [TestCase("https://storage.example.net/a/../blob?sig=x", 307, "https://storage.example.net/a/../blob?sig=x")]
    [TestCase("/static/blob", 307, "http://registry.example.com:5000/static/blob")]
    [TestCase("http://registry.example.com:5000/static/blob", 302, "http://registry.example.com:5000/static/blob")]
    [TestCase("relative/path", 307, "relative/path")]
    [TestCase("u1?_state=s", 202, "u1?_state=s")]
    public void Map_Locations_MappedOnlyOnTheRegistrysV2(string location, int status, string expected)
    {
        Assert.That(PathForm.Map(location, status), Is.EqualTo(((string?)expected, (string?)null)));
    }

    [TestCase("http://attacker.example/v2/x/blobs/uploads/abc", 202, "another origin (http://attacker.example:80)")]
    [TestCase("http://attacker.example/v2/x/blobs/uploads/abc?_state=secret-state", 201, "another origin (http://attacker.example:80)")]
    [TestCase("//attacker.example/v2/x/blobs/uploads/abc", 202, "another origin (http://attacker.example:80)")]
    [TestCase("/\\attacker.example/v2/x/blobs/uploads/abc", 202, "another origin (http://attacker.example:80)")]
    [TestCase("http://registry.example.com:5001/v2/demo/x", 307, "a /v2/ API path on another origin")]
    [TestCase("https://registry.example.com:5000/v2/demo/x", 202, "an upload session on another origin")]
    [TestCase("http://proxy.example:8080/namespaces/team/connectors/other/v2/x/blobs/uploads/abc", 202, "another origin")]
    [TestCase("http://proxy.example:8080/namespaces/team/connectors/other/x", 307, "the proxy's own address")]
    [TestCase("https://storage.example.net/bucket/blob", 202, "an upload session on another origin")]
    [TestCase("/v2/../../namespaces/a/connectors/reg/x/blobs/uploads/abc", 202, "dot segment")]
    [TestCase("/v2/%2e%2E/%2e./namespaces/a/connectors/reg/x/blobs/uploads/abc", 202, "dot segment")]
    [TestCase("/v2/x/./blobs/uploads/abc", 307, "dot segment")]
    [TestCase("/v2/x\\..\\blobs", 202, "dot segment")]
    [TestCase("http://registry.example.com:5000/v2/%2E%2E/a", 201, "dot segment")]
    [TestCase("../../../namespaces/a/connectors/other/v2/x", 307, "dot segment")]
    [TestCase("/static/blob", 202, "outside the registry's /v2/ API")]
    [TestCase("http://attacker.example\\@registry.example.com:5000/v2/x/blobs/uploads/abc", 202, "cannot be read unambiguously")]
    [TestCase("http://user:pw@registry.example.com:5000/v2/x/blobs/uploads/abc", 202, "cannot be read unambiguously")]
    [TestCase("javascript:alert(1)", 202, "cannot be read unambiguously")]
    public void Map_ForeignOrEscapingLocations_RefusedWithoutTheirPathOrQuery(string location, int status, string reason)
    {
        var proxied = PathForm with { ProxyAuthority = "proxy.example:8080" };

        var (mapped, refusal) = proxied.Map(location, status);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(mapped, Is.Null);
            Assert.That(refusal, Does.Contain(reason));
            Assert.That(refusal, Does.Not.Contain("secret-state").And.Not.Contain("/v2/x").And.Not.Contain("uploads"));
        }
    }

    [TestCase("http://registry.example.com:5000/v2/demo/x?_state=s", 202, "http://registry.example.com:5000/v2/demo/x?_state=s")]
    [TestCase("/v2/demo/x", 201, "/v2/demo/x")]
    [TestCase("https://storage.example.net/bucket/blob?sig=x", 307, "https://storage.example.net/bucket/blob?sig=x")]
    public void Map_ForwardMode_CheckedButNotMapped(string location, int status, string expected)
    {
        var forward = PathForm with { ClientV2 = null };

        Assert.That(forward.Map(location, status), Is.EqualTo(((string?)expected, (string?)null)));
        Assert.That(forward.Map("http://attacker.example/v2/x/blobs/uploads/abc", 202).Refusal, Does.Contain("another origin"));
    }

    [TestCase("/v2/demo/two/blobs/uploads/?mount=sha256:1&from=namespaces/team/connectors/reg/demo/one", "/v2/demo/two/blobs/uploads/?mount=sha256:1&from=demo/one")]
    [TestCase("/v2/demo/two/blobs/uploads/?mount=sha256:1&from=namespaces%2Fteam%2Fconnectors%2Freg%2Fdemo%2Fone", "/v2/demo/two/blobs/uploads/?mount=sha256:1&from=demo/one")]
    [TestCase("/v2/demo/two/blobs/uploads/?mount=sha256:1&from=namespaces/other/connectors/reg/demo/one", "/v2/demo/two/blobs/uploads/")]
    [TestCase("/v2/demo/two/blobs/uploads/?from=demo/one&mount=sha256:1&x=1", "/v2/demo/two/blobs/uploads/?x=1")]
    [TestCase("/v2/demo/two/blobs/uploads/?digest=sha256:1", "/v2/demo/two/blobs/uploads/?digest=sha256:1")]
    public void MountMap_FromOfTheSameConnectorMapped_OtherwiseMountDropped(string target, string expected)
    {
        Assert.That(RegistryMount.Map(target, "team", "reg"), Is.EqualTo(expected));
    }
}
