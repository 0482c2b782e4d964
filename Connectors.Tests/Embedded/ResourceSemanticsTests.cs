using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Connectors.Tests.Support;

namespace Connectors.Tests.Embedded;

/// <summary>Create, update, delete and their metadata rules, over real HTTP against the embedded API.</summary>
[TestFixture]
public sealed class ResourceSemanticsTests
{
    private const string Connectors = "apis/connectors.alauda.io/v1alpha1/namespaces/default/connectors";
    private const string Secrets = "api/v1/namespaces/default/secrets";

    private static string Connector(string name, string address = "https://git.example.com") =>
        $$$"""{"apiVersion":"connectors.alauda.io/v1alpha1","kind":"Connector","metadata":{"name":"{{{name}}}"},"spec":{"connectorClassName":"git","address":"{{{address}}}"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""";

    [Test, CancelAfter(10_000)]
    public async Task Create_Connector_SetsUidTimestampGenerationAndDropsStatus(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var before = api.Server.ResourceVersion;
        var (status, created) = await api.SendAsync(HttpMethod.Post, Connectors, Connector("c1"), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((string?)created["metadata"]!["uid"], Is.Not.Empty);
            Assert.That((string?)created["metadata"]!["creationTimestamp"], Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
            Assert.That((long)created["metadata"]!["generation"]!, Is.EqualTo(1));
            Assert.That(long.Parse((string)created["metadata"]!["resourceVersion"]!), Is.GreaterThan(before));
            Assert.That(created["status"], Is.Null, "status is set through /status only");
            Assert.That(created.Select(p => p.Key).Take(3), Is.EqualTo((string[])["apiVersion", "kind", "metadata"]));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Update_SpecChange_BumpsGenerationAndMetadataChangeDoesNot(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (_, created) = await api.SendAsync(HttpMethod.Post, Connectors, Connector("c1"), cancellationToken);

        created["metadata"]!["labels"] = new JsonObject { ["a"] = "b" };
        var (status, labelled) = await api.SendAsync(HttpMethod.Put, Connectors + "/c1", created.ToJsonString(), cancellationToken);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));

        labelled["spec"]!["address"] = "https://other.example.com";
        var (_, respecced) = await api.SendAsync(HttpMethod.Put, Connectors + "/c1", labelled.ToJsonString(), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((long)labelled["metadata"]!["generation"]!, Is.EqualTo(1));
            Assert.That((long)respecced["metadata"]!["generation"]!, Is.EqualTo(2));
            Assert.That((string?)respecced["metadata"]!["uid"], Is.EqualTo((string?)created["metadata"]!["uid"]));
            Assert.That((string?)respecced["metadata"]!["creationTimestamp"], Is.EqualTo((string?)created["metadata"]!["creationTimestamp"]));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Update_StaleResourceVersion_Conflicts(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (_, created) = await api.SendAsync(HttpMethod.Post, Connectors, Connector("c1"), cancellationToken);
        var stale = created.ToJsonString();
        created["spec"]!["address"] = "https://one.example.com";
        await api.SendAsync(HttpMethod.Put, Connectors + "/c1", created.ToJsonString(), cancellationToken);

        var (status, body) = await api.SendAsync(HttpMethod.Put, Connectors + "/c1", stale, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((string?)body["reason"], Is.EqualTo("Conflict"));
            Assert.That((string?)body["message"], Does.StartWith("Operation cannot be fulfilled on connectors.connectors.alauda.io \"c1\": the object has been modified"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Update_CustomResourceWithoutResourceVersion_IsInvalidButSecretIsUnconditional(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, Connectors, Connector("c1"), cancellationToken);
        await api.SendAsync(HttpMethod.Post, Secrets, """{"metadata":{"name":"s1"},"data":{"a":"YQ=="}}""", cancellationToken);

        var (connectorStatus, _) = await api.SendAsync(HttpMethod.Put, Connectors + "/c1", Connector("c1"), cancellationToken);
        var (secretStatus, _) = await api.SendAsync(HttpMethod.Put, Secrets + "/s1", """{"metadata":{"name":"s1"},"data":{"a":"Yg=="}}""", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(connectorStatus, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(secretStatus, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Update_Unchanged_KeepsResourceVersion(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (_, created) = await api.SendAsync(HttpMethod.Post, Connectors, Connector("c1"), cancellationToken);
        var (_, updated) = await api.SendAsync(HttpMethod.Put, Connectors + "/c1", created.ToJsonString(), cancellationToken);
        var (_, patched) = await api.SendAsync(HttpMethod.Patch, Connectors + "/c1", """{"spec":{"connectorClassName":"git"}}""", cancellationToken, "application/merge-patch+json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)updated["metadata"]!["resourceVersion"], Is.EqualTo((string?)created["metadata"]!["resourceVersion"]));
            Assert.That((string?)patched["metadata"]!["resourceVersion"], Is.EqualTo((string?)created["metadata"]!["resourceVersion"]));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task StatusSubresource_MainEndpointIgnoresStatusAndStatusEndpointIgnoresTheRest(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (_, created) = await api.SendAsync(HttpMethod.Post, Connectors, Connector("c1"), cancellationToken);

        created["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }) };
        created["spec"]!["address"] = "https://changed.example.com";
        var (status, afterStatus) = await api.SendAsync(HttpMethod.Put, Connectors + "/c1/status", created.ToJsonString(), cancellationToken);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var statusAfterStatusWrite = (string?)afterStatus["status"]?["conditions"]?[0]?["status"];
        var addressAfterStatusWrite = (string?)afterStatus["spec"]!["address"];

        afterStatus["status"] = new JsonObject();
        afterStatus["metadata"]!["labels"] = new JsonObject { ["x"] = "y" };
        var (_, afterMain) = await api.SendAsync(HttpMethod.Put, Connectors + "/c1", afterStatus.ToJsonString(), cancellationToken);
        var (_, patchedStatus) = await api.SendAsync(HttpMethod.Patch, Connectors + "/c1/status", """{"status":{"conditions":[{"type":"Ready","status":"False","reason":"Down"}]}}""", cancellationToken, "application/merge-patch+json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(addressAfterStatusWrite, Is.EqualTo("https://git.example.com"), "/status keeps the spec");
            Assert.That(statusAfterStatusWrite, Is.EqualTo("True"));
            Assert.That((string?)afterMain["status"]!["conditions"]![0]!["status"], Is.EqualTo("True"), "the main endpoint keeps the status");
            Assert.That((string?)afterMain["metadata"]!["labels"]!["x"], Is.EqualTo("y"));
            Assert.That((long)afterMain["metadata"]!["generation"]!, Is.EqualTo(1), "status and labels do not bump generation");
            Assert.That((string?)patchedStatus["status"]!["conditions"]![0]!["reason"], Is.EqualTo("Down"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Get_Missing_Returns404StatusWithKubernetesWording(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (status, body) = await api.SendAsync(HttpMethod.Get, Secrets + "/x", null, cancellationToken);
        var (_, connector) = await api.SendAsync(HttpMethod.Get, Connectors + "/x", null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((string?)body["kind"], Is.EqualTo("Status"));
            Assert.That((string?)body["reason"], Is.EqualTo("NotFound"));
            Assert.That((string?)body["message"], Is.EqualTo("secrets \"x\" not found"));
            Assert.That((int)body["code"]!, Is.EqualTo(404));
            Assert.That((string?)connector["message"], Is.EqualTo("connectors.connectors.alauda.io \"x\" not found"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Create_Twice_AlreadyExists(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, Connectors, Connector("c1"), cancellationToken);
        var (status, body) = await api.SendAsync(HttpMethod.Post, Connectors, Connector("c1"), cancellationToken);
        Assert.That((status, (string?)body["reason"]), Is.EqualTo((HttpStatusCode.Conflict, "AlreadyExists")));
    }

    [TestCase("""{"metadata":{"name":"Bad_Name"}}""", HttpStatusCode.UnprocessableEntity)]
    [TestCase("""{"metadata":{}}""", HttpStatusCode.UnprocessableEntity)]
    [TestCase("""{"metadata":{"name":"ok","labels":{"bad key!":"v"}}}""", HttpStatusCode.UnprocessableEntity)]
    [TestCase("""{"metadata":{"name":"ok"},"data":{"k":"not base64!"}}""", HttpStatusCode.BadRequest)]
    [TestCase("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ok"}}""", HttpStatusCode.BadRequest)]
    [TestCase("""{"metadata":{"name":"ok","namespace":"other"}}""", HttpStatusCode.BadRequest)]
    [TestCase("""[1,2]""", HttpStatusCode.BadRequest)]
    [TestCase("""{not json""", HttpStatusCode.BadRequest)]
    [CancelAfter(10_000)]
    public async Task Create_InvalidSecret_IsRejected(string json, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (status, body) = await api.SendAsync(HttpMethod.Post, Secrets, json, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(expected));
            Assert.That((string?)body["kind"], Is.EqualTo("Status"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Create_ConnectorWithNonObjectSpec_IsInvalid(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (status, body) = await api.SendAsync(HttpMethod.Post, Connectors, """{"metadata":{"name":"c"},"spec":"x"}""", cancellationToken);
        Assert.That((status, (string?)body["reason"]), Is.EqualTo((HttpStatusCode.UnprocessableEntity, "Invalid")));
    }

    [Test, CancelAfter(10_000)]
    public async Task Create_SecretWithStringData_FoldsIntoBase64Data(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (_, created) = await api.SendAsync(HttpMethod.Post, Secrets, """{"metadata":{"name":"s"},"data":{"a":"YQ==","b":"Yg=="},"stringData":{"b":"bee","token":"glpat-x"}}""", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(created["stringData"], Is.Null);
            Assert.That((string?)created["type"], Is.EqualTo("Opaque"));
            Assert.That((string?)created["data"]!["a"], Is.EqualTo("YQ=="));
            Assert.That(Encoding.UTF8.GetString(Convert.FromBase64String((string)created["data"]!["b"]!)), Is.EqualTo("bee"));
            Assert.That(Encoding.UTF8.GetString(Convert.FromBase64String((string)created["data"]!["token"]!)), Is.EqualTo("glpat-x"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Create_InMissingNamespace_NotFound(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (status, body) = await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/nope/configmaps", """{"metadata":{"name":"c"}}""", cancellationToken);
        Assert.That((status, (string?)body["message"]), Is.EqualTo((HttpStatusCode.NotFound, "namespaces \"nope\" not found")));
    }

    [Test, CancelAfter(10_000)]
    public async Task DryRun_Create_StoresNothing(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (status, created) = await api.SendAsync(HttpMethod.Post, Connectors + "?dryRun=All", Connector("c1"), cancellationToken);
        var (getStatus, _) = await api.SendAsync(HttpMethod.Get, Connectors + "/c1", null, cancellationToken);
        var (deleteStatus, _) = await api.SendAsync(HttpMethod.Delete, Connectors + "/c1?dryRun=All", null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((string?)created["metadata"]!["name"], Is.EqualTo("c1"));
            Assert.That(getStatus, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(deleteStatus, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task DryRun_UpdateAndDelete_ChangeNothing(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (_, created) = await api.SendAsync(HttpMethod.Post, Connectors, Connector("c1"), cancellationToken);
        var (_, patched) = await api.SendAsync(HttpMethod.Patch, Connectors + "/c1?dryRun=All", """{"spec":{"address":"https://dry.example.com"}}""", cancellationToken, "application/merge-patch+json");
        var (deleteStatus, _) = await api.SendAsync(HttpMethod.Delete, Connectors + "/c1?dryRun=All", null, cancellationToken);
        var (_, stored) = await api.SendAsync(HttpMethod.Get, Connectors + "/c1", null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)patched["spec"]!["address"], Is.EqualTo("https://dry.example.com"));
            Assert.That(deleteStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(stored.ToJsonString(), Is.EqualTo(created.ToJsonString()));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Create_GenerateName_GetsRandomSuffixAndManagedFieldsAreDropped(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (_, created) = await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/configmaps", """{"metadata":{"generateName":"cm-","managedFields":[{"manager":"x"}]}}""", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)created["metadata"]!["name"], Does.Match("^cm-[a-z0-9]{5}$"));
            Assert.That(created["metadata"]!["managedFields"], Is.Null);
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Delete_Namespace_DeletesItsObjects(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces", """{"metadata":{"name":"team"}}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/team/secrets", """{"metadata":{"name":"s"}}""", cancellationToken);
        var (_, sa) = await api.SendAsync(HttpMethod.Get, "api/v1/namespaces/team/serviceaccounts/default", null, cancellationToken);

        var (status, _) = await api.SendAsync(HttpMethod.Delete, "api/v1/namespaces/team", null, cancellationToken);
        var (secretStatus, _) = await api.SendAsync(HttpMethod.Get, "api/v1/namespaces/team/secrets/s", null, cancellationToken);
        var (nsStatus, _) = await api.SendAsync(HttpMethod.Get, "api/v1/namespaces/team", null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)sa["metadata"]!["name"], Is.EqualTo("default"), "every namespace gets a default ServiceAccount");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(secretStatus, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(nsStatus, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Delete_NamespaceWithDelay_IsTerminatingUntilFinalized(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken, o => o.NamespaceFinalizeDelay = TimeSpan.FromMilliseconds(300));
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces", """{"metadata":{"name":"team"}}""", cancellationToken);
        var (_, deleted) = await api.SendAsync(HttpMethod.Delete, "api/v1/namespaces/team", null, cancellationToken);
        var (createStatus, _) = await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/team/configmaps", """{"metadata":{"name":"c"}}""", cancellationToken);
        HttpStatusCode nsStatus;
        do
        {
            await Task.Delay(50, cancellationToken);
            (nsStatus, _) = await api.SendAsync(HttpMethod.Get, "api/v1/namespaces/team", null, cancellationToken);
        }
        while (nsStatus == HttpStatusCode.OK);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)deleted["status"]!["phase"], Is.EqualTo("Terminating"));
            Assert.That(createStatus, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(nsStatus, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Delete_Owner_GarbageCollectsDependentsUnlessOrphaned(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (_, owner) = await api.SendAsync(HttpMethod.Post, Connectors, Connector("c1"), cancellationToken);
        var (_, other) = await api.SendAsync(HttpMethod.Post, Connectors, Connector("c2"), cancellationToken);
        string Owned(string name, params JsonObject[] owners) =>
            new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["ownerReferences"] = new JsonArray([.. owners.Select(o => (JsonNode)new JsonObject
                    {
                        ["apiVersion"] = "connectors.alauda.io/v1alpha1", ["kind"] = "Connector",
                        ["name"] = o["metadata"]!["name"]!.DeepClone(), ["uid"] = o["metadata"]!["uid"]!.DeepClone(), ["controller"] = true,
                    })]),
                },
                ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
            }.ToJsonString();
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/services", Owned("c-c1", owner), cancellationToken);
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/services", Owned("shared", owner, other), cancellationToken);
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/services", Owned("c-c2", other), cancellationToken);

        await api.SendAsync(HttpMethod.Delete, Connectors + "/c1", null, cancellationToken);
        await api.SendAsync(HttpMethod.Delete, Connectors + "/c2", """{"propagationPolicy":"Orphan"}""", cancellationToken);
        var (gone, _) = await api.SendAsync(HttpMethod.Get, "api/v1/namespaces/default/services/c-c1", null, cancellationToken);
        var (_, shared) = await api.SendAsync(HttpMethod.Get, "api/v1/namespaces/default/services/shared", null, cancellationToken);
        var (_, orphan) = await api.SendAsync(HttpMethod.Get, "api/v1/namespaces/default/services/c-c2", null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(gone, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((string?)shared["metadata"]!["name"], Is.EqualTo("shared"), "an object with another live owner stays");
            Assert.That((string?)orphan["metadata"]!["name"], Is.EqualTo("c-c2"));
            Assert.That(orphan["metadata"]!["ownerReferences"], Is.Null, "orphaned dependents lose the reference");
            Assert.That((string?)orphan["spec"]!["clusterIP"], Does.StartWith("10.96."));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Delete_WithFinalizer_WaitsUntilFinalizerRemoved(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/configmaps", """{"metadata":{"name":"f","finalizers":["example.com/hold"]}}""", cancellationToken);
        var (status, marked) = await api.SendAsync(HttpMethod.Delete, "api/v1/namespaces/default/configmaps/f", null, cancellationToken);
        var (stillThere, _) = await api.SendAsync(HttpMethod.Get, "api/v1/namespaces/default/configmaps/f", null, cancellationToken);
        await api.SendAsync(HttpMethod.Patch, "api/v1/namespaces/default/configmaps/f", """{"metadata":{"finalizers":null}}""", cancellationToken, "application/merge-patch+json");
        var (gone, _) = await api.SendAsync(HttpMethod.Get, "api/v1/namespaces/default/configmaps/f", null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That((string?)marked["metadata"]!["deletionTimestamp"], Is.Not.Null);
            Assert.That(stillThere, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(gone, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Delete_StalePrecondition_Conflicts(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, Secrets, """{"metadata":{"name":"s"}}""", cancellationToken);
        var (status, _) = await api.SendAsync(HttpMethod.Delete, Secrets + "/s", """{"preconditions":{"resourceVersion":"1"}}""", cancellationToken);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test, CancelAfter(10_000)]
    public async Task DeleteCollection_BySelector_DeletesOnlyMatches(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, Secrets, """{"metadata":{"name":"a","labels":{"t":"x"}}}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, Secrets, """{"metadata":{"name":"b"}}""", cancellationToken);
        var (status, deleted) = await api.SendAsync(HttpMethod.Delete, Secrets + "?labelSelector=t%3Dx", null, cancellationToken);
        var (_, left) = await api.SendAsync(HttpMethod.Get, Secrets, null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(deleted["items"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(left["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]), Is.EqualTo((string[])["b"]));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Secret_Immutable_RejectsDataChange(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, Secrets, """{"metadata":{"name":"s"},"immutable":true,"data":{"a":"YQ=="}}""", cancellationToken);
        var (status, _) = await api.SendAsync(HttpMethod.Patch, Secrets + "/s", """{"data":{"a":"Yg=="}}""", cancellationToken, "application/merge-patch+json");
        Assert.That(status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
    }
}
