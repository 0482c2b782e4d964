using System.Net;
using System.Text.Json.Nodes;
using Connectors.Modules.Embedded;
using Connectors.Tests.Support;

namespace Connectors.Tests.Embedded;

[TestFixture]
public sealed class DiscoveryAndTableTests
{
    [Test, CancelAfter(10_000)]
    public async Task Discovery_ListsGroupsAndResourcesKubectlNeeds(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (_, version) = await api.SendAsync(HttpMethod.Get, "version", null, cancellationToken, token: "");
        var (_, core) = await api.SendAsync(HttpMethod.Get, "api", null, cancellationToken);
        var (_, groups) = await api.SendAsync(HttpMethod.Get, "apis", null, cancellationToken);
        var (_, connectors) = await api.SendAsync(HttpMethod.Get, "apis/connectors.alauda.io/v1alpha1", null, cancellationToken);
        var (_, v1) = await api.SendAsync(HttpMethod.Get, "api/v1", null, cancellationToken);
        var (openApi, root) = await api.SendAsync(HttpMethod.Get, "openapi/v3", null, cancellationToken);
        var (unknown, _) = await api.SendAsync(HttpMethod.Get, "apis/example.com/v1", null, cancellationToken);
        var resources = connectors["resources"]!.AsArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)version["gitVersion"], Does.StartWith("v1.33"));
            Assert.That(core["versions"]!.AsArray().Select(v => (string?)v), Is.EqualTo((string[])["v1"]));
            Assert.That(groups["groups"]!.AsArray().Select(g => (string?)g!["name"]), Is.SupersetOf((string[])["connectors.alauda.io", "coordination.k8s.io", "rbac.authorization.k8s.io", "authentication.k8s.io", "authorization.k8s.io", "apps", "storage.k8s.io", "apiextensions.k8s.io"]));
            Assert.That(resources.Select(r => (string?)r!["name"]), Is.EqualTo((string[])["connectors", "connectors/status", "connectorclasses", "connectorclasses/status", "resourceinterfaces"]));
            Assert.That((bool)resources[0]!["namespaced"]!, Is.True);
            Assert.That((bool)resources[2]!["namespaced"]!, Is.False);
            Assert.That(v1["resources"]!.AsArray().Select(r => (string?)r!["name"]), Does.Contain("serviceaccounts/token"));
            Assert.That(openApi, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(root["paths"]!["apis/connectors.alauda.io/v1alpha1"], Is.Not.Null);
            Assert.That(unknown, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Table_Connectors_ShowPrinterColumns(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        const string Connectors = "apis/connectors.alauda.io/v1alpha1/namespaces/default/connectors";
        await api.SendAsync(HttpMethod.Post, Connectors, """{"metadata":{"name":"git"},"spec":{"connectorClassName":"git","address":"https://github.com"}}""", cancellationToken);
        await api.SendAsync(HttpMethod.Patch, Connectors + "/git/status", """{"status":{"conditions":[{"type":"Other","status":"False"},{"type":"Ready","status":"True","reason":"Ok"}]}}""", cancellationToken, "application/merge-patch+json");
        using var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Connectors + "?limit=500");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json");
        using var response = await client.SendAsync(request, cancellationToken);
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)table["kind"], Is.EqualTo("Table"));
            Assert.That(table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]), Is.EqualTo((string[])["Name", "Class", "Address", "Ready", "Reason", "Age"]));
            Assert.That(cells.Take(5).Select(c => (string?)c), Is.EqualTo((string[])["git", "git", "https://github.com", "True", "Ok"]));
            Assert.That((string?)cells[5], Does.Match("^[0-9]+s$"));
            Assert.That((string?)table["rows"]![0]!["object"]!["kind"], Is.EqualTo("PartialObjectMetadata"));
        }
    }

    [TestCase(".spec.address", "https://a")]
    [TestCase("{.spec.address}", "https://a")]
    [TestCase(".status.conditions[?(@.type==\"Ready\")].status", "True")]
    [TestCase(".status.conditions[?(@.type=='Ready')].reason", "Fine")]
    [TestCase(".status.conditions[?(@.type!=\"Ready\")].type", "Other")]
    [TestCase(".status.conditions[0].type", "Other")]
    [TestCase(".status.conditions[-1].type", "Ready")]
    [TestCase(".status.conditions[*].type", "Other")]
    [TestCase(".metadata.labels['app.kubernetes.io/name']", "x")]
    [TestCase(".spec.missing", null)]
    [TestCase(".status.conditions[?(@.type==\"Nope\")].status", null)]
    public void SimpleJsonPath_EvaluatesPrinterColumnForms(string path, string? expected)
    {
        var obj = JsonNode.Parse("""{"metadata":{"labels":{"app.kubernetes.io/name":"x"}},"spec":{"address":"https://a"},"status":{"conditions":[{"type":"Other","status":"False"},{"type":"Ready","status":"True","reason":"Fine"}]}}""")!;
        Assert.That((string?)SimpleJsonPath.Evaluate(obj, path), Is.EqualTo(expected));
    }

    [TestCase(5, "5s")]
    [TestCase(119, "119s")]
    [TestCase(150, "2m30s")]
    [TestCase(600, "10m")]
    [TestCase(3 * 3600 + 120, "3h2m")]
    [TestCase(30 * 3600, "30h")]
    [TestCase(3 * 86400 + 3600, "3d1h")]
    [TestCase(100 * 86400, "100d")]
    [TestCase(3 * 365 * 86400 + 86400, "3y1d")]
    public void HumanDuration_MatchesKubernetes(int seconds, string expected) =>
        Assert.That(TableConverter.HumanDuration(TimeSpan.FromSeconds(seconds)), Is.EqualTo(expected));
}
