using System.Text.Json.Nodes;
using Connectors.Modules.Embedded;

namespace Connectors.Tests.Embedded;

[TestFixture]
public sealed class WebhookMatchingTests
{
    [TestCase("CREATE", "connectors", null, true)]
    [TestCase("DELETE", "connectors", null, false)]
    [TestCase("CREATE", "connectors", "status", false)]
    [TestCase("CREATE", "connectorclasses", null, false)]
    public void RuleMatches_ExactRule(string operation, string plural, string? subresource, bool expected)
    {
        var rule = Rule("""{"apiGroups":["connectors.alauda.io"],"apiVersions":["v1alpha1"],"operations":["CREATE","UPDATE"],"resources":["connectors"],"scope":"Namespaced"}""");
        var type = plural == "connectors" ? ResourceRegistry.Connectors : ResourceRegistry.ConnectorClasses;
        Assert.That(WebhookRules.RuleMatches(rule, Attributes(operation, type, subresource)), Is.EqualTo(expected));
    }

    [TestCase("*/*", null, true)]
    [TestCase("*/*", "status", true)]
    [TestCase("*", "status", false)]
    [TestCase("connectors/*", null, false)]
    [TestCase("connectors/*", "status", true)]
    [TestCase("*/status", "status", true)]
    public void RuleMatches_ResourceWildcards(string resource, string? subresource, bool expected)
    {
        var rule = Rule($$"""{"apiGroups":["*"],"apiVersions":["*"],"operations":["*"],"resources":["{{resource}}"]}""");
        Assert.That(WebhookRules.RuleMatches(rule, Attributes("UPDATE", ResourceRegistry.Connectors, subresource)), Is.EqualTo(expected));
    }

    [TestCase("Cluster", false)]
    [TestCase("Namespaced", true)]
    [TestCase("*", true)]
    public void RuleMatches_Scope(string scope, bool expected)
    {
        var rule = Rule($$"""{"apiGroups":["*"],"apiVersions":["*"],"operations":["*"],"resources":["*"],"scope":"{{scope}}"}""");
        Assert.That(WebhookRules.RuleMatches(rule, Attributes("CREATE", ResourceRegistry.Connectors, null)), Is.EqualTo(expected));
    }

    [TestCase("""{"matchLabels":{"a":"1"}}""", true)]
    [TestCase("""{"matchLabels":{"a":"2"}}""", false)]
    [TestCase("""{"matchExpressions":[{"key":"a","operator":"In","values":["1","2"]}]}""", true)]
    [TestCase("""{"matchExpressions":[{"key":"a","operator":"NotIn","values":["1"]}]}""", false)]
    [TestCase("""{"matchExpressions":[{"key":"b","operator":"Exists"}]}""", false)]
    [TestCase("""{"matchExpressions":[{"key":"b","operator":"DoesNotExist"}]}""", true)]
    [TestCase("""{}""", true)]
    public void SelectorObject_Matches(string selector, bool expected) =>
        Assert.That(SelectorObject.Matches(JsonNode.Parse(selector), new JsonObject { ["a"] = "1" }), Is.EqualTo(expected));

    [Test]
    public void SelectorObject_UnknownOperator_Throws() =>
        Assert.That(() => SelectorObject.Matches(JsonNode.Parse("""{"matchExpressions":[{"key":"a","operator":"Near"}]}"""), null), Throws.TypeOf<FormatException>());

    [Test]
    public void WebhookEndpoint_ExternalNameService_ConnectsThereVerifiesServiceName()
    {
        var config = JsonNode.Parse("""{"service":{"namespace":"ns","name":"hook","path":"/v","port":8443}}""")!.AsObject();
        var (endpoint, _) = WebhookEndpoint.Resolve(config, (_, _) => JsonNode.Parse("""{"spec":{"type":"ExternalName","externalName":"localhost"}}""")!.AsObject());
        Assert.That(endpoint, Is.EqualTo(new WebhookEndpoint(new Uri("https://hook.ns.svc:8443/v"), "localhost", 8443)));
    }

    [Test]
    public void WebhookEndpoint_MissingService_Error()
    {
        var config = JsonNode.Parse("""{"service":{"namespace":"ns","name":"hook"}}""")!.AsObject();
        Assert.That(WebhookEndpoint.Resolve(config, (_, _) => null).Error, Is.EqualTo("service \"hook\" not found"));
    }

    [Test]
    public void WebhookEndpoint_PlainHttpUrl_Error()
    {
        var config = JsonNode.Parse("""{"url":"http://127.0.0.1:1/x"}""")!.AsObject();
        Assert.That(WebhookEndpoint.Resolve(config, (_, _) => null).Error, Is.EqualTo("clientConfig.url \"http://127.0.0.1:1/x\" is not an https URL"));
    }

    private static JsonObject Rule(string json) => JsonNode.Parse(json)!.AsObject();

    private static AdmissionAttributes Attributes(string operation, ResourceType type, string? subresource) =>
        new(operation, type, "ns", "n", subresource, ApiUser.Admin, false);
}
