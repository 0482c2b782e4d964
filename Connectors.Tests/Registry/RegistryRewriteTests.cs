using Connectors.Modules.Proxy;

namespace Connectors.Tests.Registry;

[TestFixture]
public sealed class RegistryRewriteTests
{
    private static readonly RegistryLocation PathForm = new(new Uri("http://registry.example.com:5000/v2/a/blobs/uploads/"), "/v2/namespaces/team/connectors/reg/");

    [TestCase("http://registry.example.com:5000/v2/demo/app/blobs/uploads/u1?_state=a%2Bb", "/v2/namespaces/team/connectors/reg/demo/app/blobs/uploads/u1?_state=a%2Bb")]
    [TestCase("/v2/demo/app/blobs/uploads/u1?_state=s", "/v2/namespaces/team/connectors/reg/demo/app/blobs/uploads/u1?_state=s")]
    [TestCase("HTTP://REGISTRY.example.com:5000/v2/demo/blobs/sha256:1", "/v2/namespaces/team/connectors/reg/demo/blobs/sha256:1")]
    [TestCase("https://storage.example.net/bucket/blob?sig=x", "https://storage.example.net/bucket/blob?sig=x")]
    [TestCase("http://registry.example.com:5001/v2/demo/x", "http://registry.example.com:5001/v2/demo/x")]
    [TestCase("//registry.example.com:5000/v2/demo/x", "//registry.example.com:5000/v2/demo/x")]
    [TestCase("/static/blob", "/static/blob")]
    [TestCase("relative/path", "relative/path")]
    public void Rewrite_Locations_MappedOnlyOnTheRegistrysV2(string location, string expected)
    {
        Assert.That(PathForm.Rewrite(location), Is.EqualTo(expected));
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
