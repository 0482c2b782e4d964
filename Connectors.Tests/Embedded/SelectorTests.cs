using System.Net;
using System.Text.Json.Nodes;
using Connectors.Modules.Embedded;
using Connectors.Tests.Support;

namespace Connectors.Tests.Embedded;

[TestFixture]
public sealed class SelectorTests
{
    private static readonly JsonObject Labelled = JsonNode.Parse("""{"metadata":{"name":"x","namespace":"ns","labels":{"app":"web","tier":"front"}}}""")!.AsObject();

    [TestCase("app=web", true)]
    [TestCase("app==web", true)]
    [TestCase("app!=web", false)]
    [TestCase("app!=db", true)]
    [TestCase("missing!=x", true)]
    [TestCase("app in (db, web)", true)]
    [TestCase("app notin (db,web)", false)]
    [TestCase("app notin (db)", true)]
    [TestCase("tier", true)]
    [TestCase("!tier", false)]
    [TestCase("!missing", true)]
    [TestCase("app=web,tier=back", false)]
    [TestCase("app in (web),tier", true)]
    [TestCase("", true)]
    public void LabelSelector_Matches(string selector, bool expected) =>
        Assert.That(LabelSelector.Parse(selector).Matches(Labelled), Is.EqualTo(expected));

    [TestCase("app in web")]
    [TestCase("=x")]
    [TestCase("a b c")]
    public void LabelSelector_Invalid_IsBadRequest(string selector) =>
        Assert.That(() => LabelSelector.Parse(selector), Throws.TypeOf<ApiError>().With.Property(nameof(ApiError.Code)).EqualTo(400));

    [TestCase("metadata.name=x", true)]
    [TestCase("metadata.name==x", true)]
    [TestCase("metadata.name!=x", false)]
    [TestCase("metadata.namespace=ns,metadata.name=x", true)]
    [TestCase("metadata.namespace=other", false)]
    public void FieldSelector_Matches(string selector, bool expected) =>
        Assert.That(FieldSelector.Parse(selector, ResourceRegistry.Secrets).Matches(Labelled), Is.EqualTo(expected));

    [Test, CancelAfter(10_000)]
    public async Task List_WithSelectors_FiltersOverHttp(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces", """{"metadata":{"name":"other"}}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/configmaps", """{"metadata":{"name":"a","labels":{"app":"web"}}}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/configmaps", """{"metadata":{"name":"b","labels":{"app":"db"}}}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/other/configmaps", """{"metadata":{"name":"a"}}""", cancellationToken);

        async Task<string[]> Names(string query)
        {
            var (status, list) = await api.SendAsync(HttpMethod.Get, "api/v1/configmaps?" + query, null, cancellationToken);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), query);
            return [.. list["items"]!.AsArray().Select(i => $"{i!["metadata"]!["namespace"]}/{i["metadata"]!["name"]}")];
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Names("labelSelector=app%3Dweb"), Is.EqualTo((string[])["default/a"]));
            Assert.That(await Names("labelSelector=app%20in%20(web,db)"), Is.EqualTo((string[])["default/a", "default/b"]));
            Assert.That(await Names("labelSelector=!app"), Is.EqualTo((string[])["other/a"]));
            Assert.That(await Names("fieldSelector=metadata.name%3Da"), Is.EqualTo((string[])["default/a", "other/a"]));
            Assert.That(await Names("fieldSelector=metadata.namespace%3Dother"), Is.EqualTo((string[])["other/a"]));
            Assert.That(await Names("fieldSelector=metadata.namespace!%3Dother,metadata.name%3Db"), Is.EqualTo((string[])["default/b"]));
        }

        var (bad, body) = await api.SendAsync(HttpMethod.Get, "api/v1/configmaps?fieldSelector=spec.nope%3Dx", null, cancellationToken);
        Assert.That((bad, (string?)body["message"]), Is.EqualTo((HttpStatusCode.BadRequest, "field label not supported: spec.nope")));
    }

    [Test, CancelAfter(10_000)]
    public async Task List_EventsByInvolvedObject_AsKubectlDescribeAsks(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/events", """{"metadata":{"name":"e1"},"involvedObject":{"kind":"Connector","name":"c1","namespace":"default"},"reason":"Ready","type":"Normal"}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/events", """{"metadata":{"name":"e2"},"involvedObject":{"kind":"Connector","name":"c2","namespace":"default"},"reason":"Ready","type":"Normal"}""", cancellationToken);
        var (_, list) = await api.SendAsync(HttpMethod.Get, "api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dc1,involvedObject.kind%3DConnector", null, cancellationToken);
        Assert.That(list["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]), Is.EqualTo((string[])["e1"]));
    }

    [Test, CancelAfter(10_000)]
    public async Task List_WithLimit_PagesWithContinue(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        foreach (var name in new[] { "c", "a", "b" })
        {
            await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/configmaps", $$$"""{"metadata":{"name":"{{{name}}}"}}""", cancellationToken);
        }

        var (_, first) = await api.SendAsync(HttpMethod.Get, "api/v1/namespaces/default/configmaps?limit=2", null, cancellationToken);
        var token = (string)first["metadata"]!["continue"]!;
        var (_, second) = await api.SendAsync(HttpMethod.Get, "api/v1/namespaces/default/configmaps?limit=2&continue=" + Uri.EscapeDataString(token), null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]), Is.EqualTo((string[])["a", "b"]));
            Assert.That((long)first["metadata"]!["remainingItemCount"]!, Is.EqualTo(1));
            Assert.That(second["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]), Is.EqualTo((string[])["c"]));
            Assert.That(second["metadata"]!["continue"], Is.Null);
            Assert.That((string?)second["metadata"]!["resourceVersion"], Is.EqualTo((string?)first["metadata"]!["resourceVersion"]));
        }
    }
}
