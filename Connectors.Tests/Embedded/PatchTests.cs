using System.Net;
using System.Text.Json.Nodes;
using Connectors.Modules.Embedded;
using Connectors.Tests.Support;

namespace Connectors.Tests.Embedded;

[TestFixture]
public sealed class PatchTests
{
    private const string Services = "api/v1/namespaces/default/services";

    [Test]
    public void MergePatch_NullDeletesNestedObjectsMergeAndListsReplace()
    {
        var target = JsonNode.Parse("""{"a":{"b":1,"c":2},"l":[1,2,3],"keep":true}""");
        var patch = JsonNode.Parse("""{"a":{"b":null,"d":4},"l":[9]}""");
        var result = MergePatch.Apply(target, patch, strategic: false);
        Assert.That(result!.ToJsonString(), Is.EqualTo("""{"a":{"c":2,"d":4},"l":[9],"keep":true}"""));
    }

    [Test]
    public void StrategicMergePatch_SetElementOrder_MergesListElementsByKey()
    {
        var target = JsonNode.Parse("""{"spec":{"ports":[{"name":"http","port":80,"targetPort":8080},{"name":"https","port":443}]}}""");
        // What kubectl apply sends when one port changes and a new one is added.
        var patch = JsonNode.Parse("""{"spec":{"$setElementOrder/ports":[{"port":80},{"port":8443},{"port":443}],"ports":[{"port":80,"targetPort":9090},{"name":"alt","port":8443}]}}""");
        var result = MergePatch.Apply(target, patch, strategic: true);
        Assert.That(result!["spec"]!["ports"]!.ToJsonString(),
            Is.EqualTo("""[{"name":"http","port":80,"targetPort":9090},{"name":"alt","port":8443},{"name":"https","port":443}]"""));
    }

    [Test]
    public void StrategicMergePatch_DeleteDirectivesAndPrimitiveLists()
    {
        var target = JsonNode.Parse("""{"metadata":{"finalizers":["a","b"]},"spec":{"ports":[{"port":80},{"port":443}],"gone":{"x":1}}}""");
        var patch = JsonNode.Parse("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],"$setElementOrder/finalizers":["b","c"],"finalizers":["c"]},"spec":{"$setElementOrder/ports":[{"port":443}],"ports":[{"$patch":"delete","port":80}],"gone":{"$patch":"delete"}}}""");
        var result = MergePatch.Apply(target, patch, strategic: true);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result!["metadata"]!["finalizers"]!.ToJsonString(), Is.EqualTo("""["b","c"]"""));
            Assert.That(result["spec"]!["ports"]!.ToJsonString(), Is.EqualTo("""[{"port":443}]"""));
            Assert.That(result["spec"]!["gone"], Is.Null);
        }
    }

    [Test]
    public void JsonPatch_AddReplaceRemoveTest()
    {
        var target = JsonNode.Parse("""{"a":{"b":[1,2]},"c":"x"}""")!;
        var patch = JsonNode.Parse("""[{"op":"test","path":"/c","value":"x"},{"op":"add","path":"/a/b/-","value":3},{"op":"replace","path":"/c","value":"y"},{"op":"remove","path":"/a/b/0"},{"op":"add","path":"/d~1e","value":true}]""");
        Assert.That(JsonPatch.Apply(target, patch).ToJsonString(), Is.EqualTo("""{"a":{"b":[2,3]},"c":"y","d/e":true}"""));
    }

    [Test, CancelAfter(10_000)]
    public async Task Patch_OverHttp_AllThreeKindsAndUnsupportedApply(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, Services, """{"metadata":{"name":"svc","labels":{"a":"1","b":"2"}},"spec":{"ports":[{"name":"http","port":80}]}}""", cancellationToken);

        var (mergeStatus, merged) = await api.SendAsync(HttpMethod.Patch, Services + "/svc", """{"metadata":{"labels":{"a":null,"c":"3"}}}""", cancellationToken, "application/merge-patch+json");
        var (strategicStatus, strategic) = await api.SendAsync(HttpMethod.Patch, Services + "/svc", """{"spec":{"$setElementOrder/ports":[{"port":80},{"port":443}],"ports":[{"name":"https","port":443}]}}""", cancellationToken, "application/strategic-merge-patch+json");
        var (jsonStatus, json) = await api.SendAsync(HttpMethod.Patch, Services + "/svc", """[{"op":"replace","path":"/spec/ports/0/port","value":8080}]""", cancellationToken, "application/json-patch+json");
        var (failedTest, _) = await api.SendAsync(HttpMethod.Patch, Services + "/svc", """[{"op":"test","path":"/spec/type","value":"NodePort"}]""", cancellationToken, "application/json-patch+json");
        var (applyStatus, _) = await api.SendAsync(HttpMethod.Patch, Services + "/svc", "metadata: {}", cancellationToken, "application/apply-patch+yaml");
        var (missing, _) = await api.SendAsync(HttpMethod.Patch, Services + "/nope", "{}", cancellationToken, "application/merge-patch+json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((mergeStatus, strategicStatus, jsonStatus), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK)));
            Assert.That(merged["metadata"]!["labels"]!.ToJsonString(), Is.EqualTo("""{"b":"2","c":"3"}"""));
            Assert.That(strategic["spec"]!["ports"]!.AsArray().Select(p => (int)p!["port"]!), Is.EqualTo((int[])[80, 443]));
            Assert.That((int)json["spec"]!["ports"]![0]!["port"]!, Is.EqualTo(8080));
            Assert.That(failedTest, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(applyStatus, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
            Assert.That(missing, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Patch_WithStaleResourceVersion_Conflicts(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/configmaps", """{"metadata":{"name":"c"}}""", cancellationToken);
        var (status, _) = await api.SendAsync(HttpMethod.Patch, "api/v1/namespaces/default/configmaps/c", """{"metadata":{"resourceVersion":"1"},"data":{"a":"b"}}""", cancellationToken, "application/merge-patch+json");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Conflict));
    }
}
