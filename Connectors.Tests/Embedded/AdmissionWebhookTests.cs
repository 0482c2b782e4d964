using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Embedded;

/// <summary>
/// The embedded API calling admission webhooks as kube-apiserver does, over real HTTPS to a loopback webhook:
/// denials worded as kube-apiserver words them, JSONPatch mutations before validation, failurePolicy, TLS against
/// the caBundle, selectors, subresources, timeouts, dry runs.
/// </summary>
[TestFixture]
public sealed class AdmissionWebhookTests
{
    private const string ConfigMaps = "api/v1/namespaces/default/configmaps";
    private const string Validating = "apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations";
    private const string Mutating = "apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations";

    [Test, CancelAfter(20_000)]
    public async Task Create_ValidatingWebhookDenies_RefusedWithKubeApiserverWording(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(Deny("data.bad: not allowed here"), cancellationToken);
        await setup.RegisterAsync(Validating, "deny.example.com", "Fail", cancellationToken);

        var (status, body) = await setup.Api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"c1"},"data":{"bad":"x"}}""", cancellationToken);
        var (after, _) = await setup.Api.SendAsync(HttpMethod.Get, ConfigMaps + "/c1", null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((string?)body["message"], Is.EqualTo("admission webhook \"deny.example.com\" denied the request: data.bad: not allowed here"));
            Assert.That((string?)body["reason"], Is.EqualTo("Forbidden"));
            Assert.That(after, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Create_ReviewRequest_CarriesKindResourceOperationObjectAndUser(CancellationToken cancellationToken)
    {
        JsonObject? seen = null;
        await using var setup = await Setup.StartAsync(request => { seen = request; return Allowed(request); }, cancellationToken);
        await setup.RegisterAsync(Validating, "look.example.com", "Fail", cancellationToken);

        var (status, _) = await setup.Api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"c1"},"data":{"k":"v"}}""", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((string?)seen?["operation"], Is.EqualTo("CREATE"));
            Assert.That((string?)seen?["kind"]?["kind"], Is.EqualTo("ConfigMap"));
            Assert.That((string?)seen?["resource"]?["resource"], Is.EqualTo("configmaps"));
            Assert.That((string?)seen?["namespace"], Is.EqualTo("default"));
            Assert.That((string?)seen?["name"], Is.EqualTo("c1"));
            Assert.That((string?)seen?["object"]?["data"]?["k"], Is.EqualTo("v"));
            Assert.That((string?)seen?["userInfo"]?["username"], Is.EqualTo("kubernetes-admin"));
            Assert.That(setup.Webhook.Seen.Single().PathAndQuery, Does.StartWith("/check?timeout="));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Create_MutatingWebhookPatches_ValidatingSeesAndStoreKeepsThePatch(CancellationToken cancellationToken)
    {
        string? validatedLabel = null;
        await using var setup = await Setup.StartAsync(request =>
        {
            if (request["object"]?["metadata"]?["labels"]?["mutated"] is { } label)
            {
                validatedLabel = (string?)label;
                return Allowed(request);
            }

            var patch = """[{"op":"add","path":"/metadata/labels","value":{"mutated":"yes"}}]""";
            var response = Allowed(request);
            response["response"]!["patchType"] = "JSONPatch";
            response["response"]!["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(patch));
            return response;
        }, cancellationToken);
        await setup.RegisterAsync(Mutating, "mutate.example.com", "Fail", cancellationToken);
        await setup.RegisterAsync(Validating, "validate.example.com", "Fail", cancellationToken);

        var (status, body) = await setup.Api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"c1"}}""", cancellationToken);
        var (_, stored) = await setup.Api.SendAsync(HttpMethod.Get, ConfigMaps + "/c1", null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Created), body.ToJsonString());
            Assert.That((string?)stored["metadata"]?["labels"]?["mutated"], Is.EqualTo("yes"));
            Assert.That(validatedLabel, Is.EqualTo("yes"));
        }
    }

    [TestCase("Fail", HttpStatusCode.InternalServerError, TestName = "Create_WebhookDownFailPolicy_Refused")]
    [TestCase("Ignore", HttpStatusCode.Created, TestName = "Create_WebhookDownIgnorePolicy_Admitted")]
    [CancelAfter(20_000)]
    public async Task Create_WebhookDown_FollowsFailurePolicy(string policy, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(Deny("never asked"), cancellationToken);
        await setup.RegisterAsync(Validating, "down.example.com", policy, cancellationToken);
        await setup.Webhook.DisposeAsync();

        var (status, body) = await setup.Api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"c1"}}""", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(expected));
            if (expected != HttpStatusCode.Created)
            {
                Assert.That((string?)body["message"], Does.StartWith("Internal error occurred: failed calling webhook \"down.example.com\": failed to call webhook: Post \"https://hook.default.svc:"));
            }
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Create_CaBundleOfAnotherAuthority_TlsVerificationFails(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(Allowed, cancellationToken);
        using var other = new TestCertificates("another CA");
        await setup.RegisterAsync(Validating, "tls.example.com", "Fail", cancellationToken, caPem: other.CaPem);

        var (status, body) = await setup.Api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"c1"}}""", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That((string?)body["message"], Does.Contain("failed calling webhook \"tls.example.com\""));
            Assert.That(setup.Webhook.Seen, Is.Empty);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Create_ServiceWithVirtualClusterIp_CallFailsNamingTheMapping(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(Allowed, cancellationToken);
        await setup.Api.CreateAsync("api/v1/namespaces/default/services", """{"metadata":{"name":"virtual"},"spec":{"ports":[{"port":443}]}}""", cancellationToken);
        await setup.RegisterAsync(Validating, "virtual.example.com", "Fail", cancellationToken, service: "virtual");

        var (status, body) = await setup.Api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"c1"}}""", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That((string?)body["message"], Does.Contain("service \"default/virtual\" has no address the embedded API can reach"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Create_UrlClientConfig_CallsTheUrl(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(Deny("by url"), cancellationToken, "localhost");
        await setup.RegisterAsync(Validating, "url.example.com", "Fail", cancellationToken, url: $"https://localhost:{setup.Webhook.BaseAddress.Port}/check");

        var (_, body) = await setup.Api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"c1"}}""", cancellationToken);
        Assert.That((string?)body["message"], Is.EqualTo("admission webhook \"url.example.com\" denied the request: by url"));
    }

    [Test, CancelAfter(20_000)]
    public async Task Create_SelectorsDoNotMatch_WebhookNotCalled(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(Deny("selected"), cancellationToken);
        await setup.RegisterAsync(Validating, "selective.example.com", "Fail", cancellationToken, extra: w =>
        {
            w["objectSelector"] = JsonNode.Parse("""{"matchLabels":{"check":"yes"}}""");
            w["namespaceSelector"] = JsonNode.Parse("""{"matchExpressions":[{"key":"kubernetes.io/metadata.name","operator":"In","values":["default"]}]}""");
        });

        var (unlabelled, _) = await setup.Api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"c1"}}""", cancellationToken);
        var (otherNamespace, _) = await setup.Api.SendAsync(HttpMethod.Post, "api/v1/namespaces/kube-public/configmaps", """{"metadata":{"name":"c2","labels":{"check":"yes"}}}""", cancellationToken);
        var (selected, body) = await setup.Api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"c3","labels":{"check":"yes"}}}""", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(unlabelled, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(otherNamespace, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(selected, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((string?)body["message"], Does.EndWith("selected"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task UpdateAndDelete_RulesOfCreateOnly_NotSent_DeleteRuleDenies(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(Deny("no deletes"), cancellationToken);
        await setup.Api.CreateAsync(ConfigMaps, """{"metadata":{"name":"c1"}}""", cancellationToken);
        await setup.RegisterAsync(Validating, "deletes.example.com", "Fail", cancellationToken, operations: ["DELETE"]);

        var (patched, _) = await setup.Api.SendAsync(HttpMethod.Patch, ConfigMaps + "/c1", """{"data":{"a":"b"}}""", cancellationToken, "application/merge-patch+json");
        var (deleted, body) = await setup.Api.SendAsync(HttpMethod.Delete, ConfigMaps + "/c1", null, cancellationToken);
        var (still, _) = await setup.Api.SendAsync(HttpMethod.Get, ConfigMaps + "/c1", null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(patched, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(deleted, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((string?)body["message"], Is.EqualTo("admission webhook \"deletes.example.com\" denied the request: no deletes"));
            Assert.That(still, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(setup.Webhook.Seen, Has.Count.EqualTo(1));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task UpdateStatus_RulesNameOnlyTheMainResource_NotSent(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(Deny("main resource only"), cancellationToken);
        const string Namespaces = "api/v1/namespaces";
        await setup.Api.CreateAsync(Namespaces, """{"metadata":{"name":"n1"}}""", cancellationToken);
        await setup.RegisterAsync(Validating, "main.example.com", "Fail", cancellationToken, resources: ["namespaces"], group: "", scope: "Cluster", operations: ["UPDATE"]);

        var (status, _) = await setup.Api.SendAsync(HttpMethod.Patch, Namespaces + "/n1/status", """{"status":{"phase":"Active"}}""", cancellationToken, "application/merge-patch+json");
        var (main, _) = await setup.Api.SendAsync(HttpMethod.Patch, Namespaces + "/n1", """{"metadata":{"labels":{"a":"b"}}}""", cancellationToken, "application/merge-patch+json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(main, Is.EqualTo(HttpStatusCode.Forbidden));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Create_WebhookSlowerThanTimeout_FailsAsDeadlineExceeded(CancellationToken cancellationToken)
    {
        using var release = new CancellationTokenSource();
        await using var setup = await Setup.StartAsync(Allowed, cancellationToken, release.Token);
        await setup.RegisterAsync(Validating, "slow.example.com", "Fail", cancellationToken, extra: w => w["timeoutSeconds"] = 1);

        var (status, body) = await setup.Api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"c1"}}""", cancellationToken);
        await release.CancelAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That((string?)body["message"], Does.EndWith("context deadline exceeded"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task DryRun_WebhookWithSideEffects_Refused(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(Allowed, cancellationToken);
        await setup.RegisterAsync(Validating, "effects.example.com", "Fail", cancellationToken, extra: w => w["sideEffects"] = "Some");

        var (status, body) = await setup.Api.SendAsync(HttpMethod.Post, ConfigMaps + "?dryRun=All", """{"metadata":{"name":"c1"}}""", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string?)body["message"], Is.EqualTo("admission webhook \"effects.example.com\" does not support dry run"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Delete_WebhookConfigurationItself_NeverSentToWebhooks(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(Deny("everything"), cancellationToken);
        await setup.RegisterAsync(Validating, "all.example.com", "Fail", cancellationToken, resources: ["*"], group: "*", scope: "*", operations: ["*"]);

        var (status, _) = await setup.Api.SendAsync(HttpMethod.Delete, Validating + "/all.example.com", null, cancellationToken);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test, CancelAfter(20_000)]
    public async Task Create_WebhookWarnings_SentAsWarningHeaders(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(request =>
        {
            var response = Allowed(request);
            response["response"]!["warnings"] = new JsonArray("image left unchanged");
            return response;
        }, cancellationToken);
        await setup.RegisterAsync(Validating, "warn.example.com", "Fail", cancellationToken);

        using var client = setup.Api.CreateClient();
        using var content = new StringContent("""{"metadata":{"name":"c1"}}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(ConfigMaps, content, cancellationToken);
        Assert.That(response.Headers.GetValues("Warning"), Is.EqualTo(new[] { "299 - \"image left unchanged\"" }));
    }

    [Test, CancelAfter(20_000)]
    public async Task DeleteCollection_SameWarningPerItem_OneWarningHeader(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(request =>
        {
            var response = Allowed(request);
            if ((string?)request["operation"] == "DELETE")
            {
                response["response"]!["warnings"] = new JsonArray("deleting configmaps is audited");
            }

            return response;
        }, cancellationToken);
        foreach (var name in new[] { "c1", "c2", "c3" })
        {
            await setup.Api.SendAsync(HttpMethod.Post, ConfigMaps, $$$"""{"metadata":{"name":"{{{name}}}"}}""", cancellationToken);
        }

        await setup.RegisterAsync(Validating, "warn.example.com", "Fail", cancellationToken, operations: ["DELETE"]);

        // kube-apiserver records a warning text once per request (its warning recorder drops repeats).
        using var client = setup.Api.CreateClient();
        using var response = await client.DeleteAsync(ConfigMaps, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.GetValues("Warning"), Is.EqualTo(new[] { "299 - \"deleting configmaps is audited\"" }));
        }
    }

    private static Func<JsonObject, JsonObject> Deny(string message) => request => new JsonObject
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["response"] = new JsonObject
        {
            ["uid"] = (string?)request["uid"],
            ["allowed"] = false,
            ["status"] = new JsonObject { ["code"] = 403, ["reason"] = "Forbidden", ["message"] = message },
        },
    };

    private static JsonObject Allowed(JsonObject request) => new()
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["response"] = new JsonObject { ["uid"] = (string?)request["uid"], ["allowed"] = true },
    };

    /// <summary>An embedded API and an HTTPS webhook behind Service <c>default/hook</c> (clusterIP 127.0.0.1).</summary>
    private sealed class Setup : IAsyncDisposable
    {
        private readonly TestCertificates _certificates;

        private Setup(EmbeddedApi api, LoopbackOrigin webhook, TestCertificates certificates)
        {
            Api = api;
            Webhook = webhook;
            _certificates = certificates;
        }

        public EmbeddedApi Api { get; }

        public LoopbackOrigin Webhook { get; }

        public static Task<Setup> StartAsync(Func<JsonObject, JsonObject> answer, CancellationToken cancellationToken, string dnsName = "hook.default.svc") =>
            StartAsync(answer, dnsName, default, cancellationToken);

        public static Task<Setup> StartAsync(Func<JsonObject, JsonObject> answer, CancellationToken cancellationToken, CancellationToken slow) =>
            StartAsync(answer, "hook.default.svc", slow, cancellationToken);

        private static async Task<Setup> StartAsync(Func<JsonObject, JsonObject> answer, string dnsName, CancellationToken slow, CancellationToken cancellationToken)
        {
            var certificates = new TestCertificates();
            var webhook = await LoopbackOrigin.StartAsync(async context =>
            {
                var review = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!.AsObject();
                if (slow.CanBeCanceled)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, slow).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(answer(review["request"]!.AsObject()).ToJsonString(), context.RequestAborted);
            }, cancellationToken, certificates.Server(dnsName));
            var api = await EmbeddedApi.StartAsync(cancellationToken);
            await api.CreateAsync("api/v1/namespaces/default/services", $$$"""{"metadata":{"name":"hook"},"spec":{"clusterIP":"127.0.0.1","ports":[{"port":{{{webhook.BaseAddress.Port}}}}]}}""", cancellationToken);
            return new Setup(api, webhook, certificates);
        }

        public async Task RegisterAsync(
            string collection, string name, string failurePolicy, CancellationToken cancellationToken,
            string? caPem = null, string service = "hook", string? url = null, string[]? operations = null, string[]? resources = null,
            string group = "", string scope = "Namespaced", Action<JsonObject>? extra = null)
        {
            var clientConfig = new JsonObject { ["caBundle"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem ?? _certificates.CaPem)) };
            if (url is not null)
            {
                clientConfig["url"] = url;
            }
            else
            {
                clientConfig["service"] = new JsonObject
                {
                    ["namespace"] = "default",
                    ["name"] = service,
                    ["path"] = "/check",
                    ["port"] = service == "hook" ? Webhook.BaseAddress.Port : 443,
                };
            }

            var webhook = new JsonObject
            {
                ["name"] = name,
                ["admissionReviewVersions"] = new JsonArray("v1"),
                ["sideEffects"] = "None",
                ["failurePolicy"] = failurePolicy,
                ["clientConfig"] = clientConfig,
                ["rules"] = new JsonArray(new JsonObject
                {
                    ["apiGroups"] = new JsonArray(group),
                    ["apiVersions"] = new JsonArray("*"),
                    ["operations"] = new JsonArray([.. (operations ?? ["CREATE", "UPDATE"]).Select(o => (JsonNode)o)]),
                    ["resources"] = new JsonArray([.. (resources ?? ["configmaps"]).Select(r => (JsonNode)r)]),
                    ["scope"] = scope,
                }),
            };
            extra?.Invoke(webhook);
            var configuration = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["webhooks"] = new JsonArray(webhook) };
            await Api.CreateAsync(collection, configuration.ToJsonString(), cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await Api.DisposeAsync();
            await Webhook.DisposeAsync();
            _certificates.Dispose();
        }
    }
}
