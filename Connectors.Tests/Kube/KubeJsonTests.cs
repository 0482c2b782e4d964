using System.Text;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;

namespace Connectors.Tests.Kube;

/// <summary>
/// Decoding what the API server stores for any tenant: a Connector param (<c>x-kubernetes-preserve-unknown-fields</c>)
/// may nest far deeper than System.Text.Json's default of 64, and one such object must not make every list and
/// watch of Connectors fail (the controller, the proxy and the CSI driver would stop seeing all of them).
/// </summary>
[TestFixture]
public sealed class KubeJsonTests
{
    private static string DeepConnector(string name, int depth)
    {
        var value = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            value.Append("{\"a\":");
        }

        value.Append("\"x\"").Append('}', depth);
        return $$"""{"apiVersion":"connectors.alauda.io/v1alpha1","kind":"Connector","metadata":{"name":"{{name}}","namespace":"team"},"spec":{"address":"http://tool","auth":{"params":[{"name":"deep","value":{{value}}""" + "}]}}}";
    }

    [TestCase(100)]
    [TestCase(1000)]
    [TestCase(9990)]
    public void DecodeList_ATenantsDeeplyNestedParam_EveryConnectorDecoded(int depth)
    {
        var body = $$"""{"apiVersion":"v1","kind":"ConnectorList","metadata":{"resourceVersion":"7"},"items":[{{DeepConnector("deep", depth)}},{{DeepConnector("plain", 1)}}]}""";

        var list = KubeJson.DecodeList<Connector>(Encoding.UTF8.GetBytes(body));

        Assert.That(list.Items.Select(c => c.Metadata.Name), Is.EqualTo(new[] { "deep", "plain" }));
    }

    [Test]
    public void DecodeWatchEvent_ATenantsDeeplyNestedParam_Decoded()
    {
        var line = $$"""{"type":"ADDED","object":{{DeepConnector("deep", 9990)}}}""";

        var watched = KubeJson.DecodeWatchEvent<Connector>(line, "/apis/connectors.alauda.io/v1alpha1/connectors?watch=true");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(watched.Type, Is.EqualTo("ADDED"));
            Assert.That(watched.Object?.Metadata.Name, Is.EqualTo("deep"));
        }
    }

    [Test]
    public void ProbeBuilder_ConnectorWithAVeryDeepParam_FailsForThatConnectorOnly()
    {
        // Read at any depth the API server allows; a path that serializes the Connector again (the probe's template
        // data) throws for it, instead of recursing ten thousand levels on a thread-pool stack.
        var connector = KubeJson.DecodeWatchEvent<Connector>($$"""{"type":"ADDED","object":{{DeepConnector("deep", 9990)}}}""", "/watch").Object!;
        var builder = new Connectors.Modules.Probes.ProbeBuilder(new Connectors.Modules.Templates.TemplateEngine());

        Assert.That(() => builder.Build(new HttpProbeSpec { Path = "/" }, connector, null), Throws.InstanceOf<System.Text.Json.JsonException>());
    }
}
