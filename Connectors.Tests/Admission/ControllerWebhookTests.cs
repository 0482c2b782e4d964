using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Connectors.Host.Embedded;
using Connectors.Modules.Admission;
using Connectors.Modules.Controller;
using Connectors.Modules.Model;
using Connectors.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Connectors.Tests.Admission;

/// <summary>
/// The controller's webhooks as a cluster runs them: the controller (real module) serves them over TLS with the
/// certificate it made, registered by the install's webhook.yaml in the embedded API, which calls them over HTTPS
/// verified against the caBundle the controller wrote.
/// </summary>
[TestFixture]
public sealed class ControllerWebhookTests
{
    private const string Components = WellKnown.DefaultComponentsNamespace;

    [Test, CancelAfter(30_000)]
    public async Task Apply_InvalidConnector_RefusedWithTheReconcilersMessage(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(cancellationToken);
        var connector = ModelJson.ToNode(Fixtures.GitConnector("team", "bad", "https://git.example.com"));
        connector["spec"]!["auth"] = JsonNode.Parse("""{"name":"tokenAuth"}""");

        var (status, body) = await setup.Api.SendAsync(HttpMethod.Post, "apis/connectors.alauda.io/v1alpha1/namespaces/team/connectors", connector.ToJsonString(), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((string?)body["message"], Is.EqualTo(
                "admission webhook \"connectors.connectors.alauda.io\" denied the request: spec.auth.name \"tokenAuth\" is not declared by connectorclass \"git\": want one of \"basicAuth\""));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Apply_InvalidConnectorWithADeepParam_StillRefused(CancellationToken cancellationToken)
    {
        // The AdmissionReview wraps the object two levels deeper: a param nested as deep as the API takes used to make
        // the webhook answer 400 (not JSON past depth 64), which failurePolicy Ignore turned into an admission.
        await using var setup = await Setup.StartAsync(cancellationToken);
        var connector = ModelJson.ToNode(Fixtures.GitConnector("team", "deep", "https://git.example.com"));
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 58)) + "1" + new string('}', 58);
        connector["spec"]!["auth"] = JsonNode.Parse($$"""{"name":"tokenAuth","params":[{"name":"deep","value":{{deep}}}]}""");

        var (status, body) = await setup.Api.SendAsync(HttpMethod.Post, "apis/connectors.alauda.io/v1alpha1/namespaces/team/connectors", connector.ToJsonString(), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden), body.ToJsonString());
            Assert.That((string?)body["message"], Does.Contain("spec.auth.name \"tokenAuth\" is not declared"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Apply_ValidConnector_Admitted(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(cancellationToken);
        var connector = ModelJson.ToNode(Fixtures.GitConnector("team", "good", "https://git.example.com"));
        var (status, body) = await setup.Api.SendAsync(HttpMethod.Post, "apis/connectors.alauda.io/v1alpha1/namespaces/team/connectors", connector.ToJsonString(), cancellationToken);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), body.ToJsonString());
    }

    [Test, CancelAfter(30_000)]
    public async Task Apply_InvalidConnectorClass_Refused(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(cancellationToken);
        var connectorClass = ModelJson.ToNode(Fixtures.GitClass());
        connectorClass["metadata"]!["name"] = "git2";
        connectorClass["spec"]!["authProbes"]![0]!["authName"] = "tokenAuth";
        var (status, body) = await setup.Api.SendAsync(HttpMethod.Post, "apis/connectors.alauda.io/v1alpha1/connectorclasses", connectorClass.ToJsonString(), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((string?)body["message"], Does.EndWith("spec.authProbes[0].authName: \"tokenAuth\" is not declared in spec.auth.types"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task CreatePod_FlagOff_RefusedNamingTheFlag(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(cancellationToken);
        var (status, body) = await setup.Api.SendAsync(HttpMethod.Post, "api/v1/namespaces/team/pods", Pod("team/reg"), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((string?)body["message"], Does.Contain("image pulls through a Connector are disabled").And.Contain("\"enable-pod-image-pull-via-connector\": \"true\""));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task CreatePod_FlagOn_ImagesRewrittenAndPullSecretHoldsAServiceAccountToken(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(cancellationToken);
        await setup.EnableImagePullsAsync(cancellationToken);
        await setup.Harness.CreateAsync(Fixtures.GitConnector("team", "reg", "https://registry.example.com"), cancellationToken);
        await setup.Harness.WaitForAsync<Connector>("team", "reg", c => true, cancellationToken);
        await WaitAsync(() => setup.Services.GetRequiredService<ControllerCaches>().Connectors.Get("team", "reg") is not null, cancellationToken);

        var (status, pod) = await setup.Api.SendAsync(HttpMethod.Post, "api/v1/namespaces/team/pods", Pod("team/reg"), cancellationToken);
        var secretName = (string?)pod["spec"]?["imagePullSecrets"]?[0]?["name"] ?? "";
        Secret? secret;
        while ((secret = (await setup.Harness.Client.GetAsync<Secret>("team", secretName, cancellationToken)).Value) is null)
        {
            await Task.Delay(50, cancellationToken);   // the controller writes it once the Pod exists
        }

        var config = secret is null ? null : JsonNode.Parse(secret.Data![".dockerconfigjson"]);
        var entry = config?["auths"]?["10.96.0.50:80"];
        var review = await setup.Harness.Client.ReviewTokenAsync((string?)entry?["password"] ?? "", ["http://c-reg.team.svc.cluster.local"], cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Created), pod.ToJsonString());
            Assert.That((string?)pod["spec"]?["containers"]?[0]?["image"], Is.EqualTo("10.96.0.50:80/namespaces/team/connectors/reg/team/app:v1"));
            Assert.That((string?)pod["spec"]?["containers"]?[1]?["image"], Is.EqualTo("busybox"));
            Assert.That(secret?.Type, Is.EqualTo("kubernetes.io/dockerconfigjson"));
            Assert.That((string?)entry?["username"], Is.EqualTo("connectors"));
            Assert.That(review.Value?.Status?.User?.Username, Is.EqualTo("system:serviceaccount:team:default"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task CreatePod_NoImageOfTheRegistry_RefusedListingThem(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(cancellationToken);
        await setup.EnableImagePullsAsync(cancellationToken);
        await setup.Harness.CreateAsync(Fixtures.GitConnector("team", "other", "https://other.example.com"), cancellationToken);
        await WaitAsync(() => setup.Services.GetRequiredService<ControllerCaches>().Connectors.Get("team", "other") is not null, cancellationToken);

        var (status, body) = await setup.Api.SendAsync(HttpMethod.Post, "api/v1/namespaces/team/pods", Pod("team/other"), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((string?)body["message"], Does.Contain("no image of the Pod is from the registry of connector \"team/other\" (other.example.com)"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task CreatePod_ConnectorOfAnotherNamespaceTheServiceAccountMayNotGet_RefusedAsIfMissing(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(cancellationToken);
        await setup.EnableImagePullsAsync(cancellationToken);
        await setup.Api.CreateAsync("api/v1/namespaces", """{"metadata":{"name":"vault"}}""", cancellationToken);
        await setup.Harness.CreateAsync(Fixtures.GitConnector("vault", "reg", "https://other.example.com"), cancellationToken);
        await setup.Harness.CreateAsync(Fixtures.GitConnector("team", "reg", "https://other.example.com"), cancellationToken);
        var caches = setup.Services.GetRequiredService<ControllerCaches>();
        await WaitAsync(() => caches.Connectors.Get("vault", "reg") is not null && caches.Connectors.Get("team", "reg") is not null, cancellationToken);

        var (existingStatus, existing) = await setup.Api.SendAsync(HttpMethod.Post, "api/v1/namespaces/team/pods", Pod("vault/reg"), cancellationToken);
        var (missingStatus, missing) = await setup.Api.SendAsync(HttpMethod.Post, "api/v1/namespaces/team/pods", Pod("vault/gone"), cancellationToken);
        var (_, sameNamespaceMissing) = await setup.Api.SendAsync(HttpMethod.Post, "api/v1/namespaces/team/pods", Pod("team/gone"), cancellationToken);
        var (_, sameNamespaceExisting) = await setup.Api.SendAsync(HttpMethod.Post, "api/v1/namespaces/team/pods", Pod("reg"), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(existingStatus, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(missingStatus, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((string?)existing["message"], Is.EqualTo(
                "admission webhook \"pods.connectors.alauda.io\" denied the request: metadata.annotations[connectors.cpaas.io/connector]: connector \"vault/reg\" not found, or serviceaccount \"team/default\" may not get it (a Connector of another namespace is usable by the ServiceAccounts allowed to get it)"));
            Assert.That((string?)missing["message"], Is.EqualTo(((string?)existing["message"])?.Replace("vault/reg", "vault/gone", StringComparison.Ordinal)),
                "an existing Connector the ServiceAccount may not get is refused exactly as a missing one");
            Assert.That((string?)sameNamespaceMissing["message"], Does.EndWith("metadata.annotations[connectors.cpaas.io/connector]: connector \"team/gone\" not found"));
            Assert.That((string?)sameNamespaceExisting["message"], Does.Contain("no image of the Pod is from the registry of connector \"team/reg\" (other.example.com)"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task CreatePod_ConnectorOfAnotherNamespaceTheServiceAccountMayGet_RewrittenAndMissingOnesNamed(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(cancellationToken);
        await setup.EnableImagePullsAsync(cancellationToken);
        await setup.Api.CreateAsync("api/v1/namespaces", """{"metadata":{"name":"vault"}}""", cancellationToken);
        await setup.Api.CreateAsync("apis/rbac.authorization.k8s.io/v1/clusterroles",
            """{"metadata":{"name":"connector-user"},"rules":[{"apiGroups":["connectors.alauda.io"],"resources":["connectors"],"verbs":["get"]}]}""", cancellationToken);
        await setup.Api.CreateAsync("apis/rbac.authorization.k8s.io/v1/namespaces/vault/rolebindings",
            """{"metadata":{"name":"team-uses"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"connector-user"},"subjects":[{"kind":"ServiceAccount","name":"default","namespace":"team"}]}""", cancellationToken);
        await setup.Harness.CreateAsync(Fixtures.GitConnector("vault", "reg", "https://registry.example.com"), cancellationToken);
        await WaitAsync(() => setup.Services.GetRequiredService<ControllerCaches>().Connectors.Get("vault", "reg") is not null, cancellationToken);

        var (_, missing) = await setup.Api.SendAsync(HttpMethod.Post, "api/v1/namespaces/team/pods", Pod("vault/gone"), cancellationToken);
        var (status, pod) = await setup.Api.SendAsync(HttpMethod.Post, "api/v1/namespaces/team/pods", Pod("vault/reg"), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Created), pod.ToJsonString());
            Assert.That((string?)pod["spec"]?["containers"]?[0]?["image"], Is.EqualTo("10.96.0.50:80/namespaces/vault/connectors/reg/team/app:v1"));
            Assert.That((string?)missing["message"], Does.EndWith("metadata.annotations[connectors.cpaas.io/connector]: connector \"vault/gone\" not found"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task PodWebhook_CrossNamespaceReviewsBeyondTheirBudget_RefusedToRetryAndSameNamespaceStillAnswered(CancellationToken cancellationToken)
    {
        // Anyone who reaches the listener can post reviews: those naming other namespaces' Connectors spend the
        // webhook's own SubjectAccessReview budget (here 2, refilled every 1000 s), never the controller's.
        await using var setup = await Setup.StartAsync(cancellationToken, new() { ["Admission:AccessReviewQps"] = "0.001", ["Admission:AccessReviewBurst"] = "2" });
        await setup.EnableImagePullsAsync(cancellationToken);
        var admission = setup.Services.GetRequiredService<PodAdmission>();
        JsonObject Review(string connector) => new() { ["uid"] = "f", ["operation"] = "CREATE", ["namespace"] = "team", ["object"] = JsonNode.Parse(Pod(connector)) };

        var answers = new List<string?>();
        foreach (var connector in new[] { "vault/a", "vault/b", "vault/c", "team/gone" })
        {
            answers.Add((await admission.ReviewAsync(Review(connector), cancellationToken)).Message);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answers[0], Does.StartWith("metadata.annotations[connectors.cpaas.io/connector]: connector \"vault/a\" not found, or serviceaccount \"team/default\" may not get it"));
            Assert.That(answers[1], Does.StartWith("metadata.annotations[connectors.cpaas.io/connector]: connector \"vault/b\" not found, or serviceaccount"));
            Assert.That(answers[2], Is.EqualTo("too many Pods name Connectors of other namespaces right now (at most 0.001 checks a second): retry"));
            Assert.That(answers[3], Is.EqualTo("metadata.annotations[connectors.cpaas.io/connector]: connector \"team/gone\" not found"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task PullSecrets_TokenInItsLastThird_RenewedByTheController(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(cancellationToken);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var caches = setup.Services.GetRequiredService<ControllerCaches>();
        var secrets = new PullSecrets(setup.Harness.Client, caches, new AdmissionOptions(), clock, NullLogger<PullSecrets>.Instance);
        var connector = await ConnectorInCacheAsync(setup, cancellationToken);
        var name = PullSecrets.NameFor("team", "default", connector, "10.96.0.50:80");
        Pod[] pods = [AdmittedPod(name)];
        await secrets.SyncAsync(pods, cancellationToken);
        await WaitAsync(() => caches.Secrets.Get("team", name) is not null, cancellationToken);
        var first = caches.Secrets.Get("team", name)!;

        clock.Advance(TimeSpan.FromHours(7));
        await secrets.SyncAsync(pods, cancellationToken);
        var notYet = (await setup.Harness.Client.GetAsync<Secret>("team", name, cancellationToken)).Value!;
        clock.Advance(TimeSpan.FromHours(2));
        await secrets.SyncAsync(pods, cancellationToken);
        var renewed = (await setup.Harness.Client.GetAsync<Secret>("team", name, cancellationToken)).Value!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(notYet.Metadata.ResourceVersion, Is.EqualTo(first.Metadata.ResourceVersion), "8 of 12 hours left: not due");
            Assert.That(renewed.Data![".dockerconfigjson"], Is.Not.EqualTo(first.Data![".dockerconfigjson"]), "3 of 12 hours left: renewed");
            Assert.That(renewed.Metadata.Annotations![PullSecrets.RenewAfterAnnotation], Is.Not.EqualTo(first.Metadata.Annotations![PullSecrets.RenewAfterAnnotation]));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task PullSecrets_ReplicaNotLeading_WritesOnlyForThePodItAdmittedUntilItLeads(CancellationToken cancellationToken)
    {
        // Every replica serves the webhook; only the leader renews on its rounds (else each would issue TokenRequests).
        await using var setup = await Setup.StartAsync(cancellationToken, new Dictionary<string, string?>
        {
            ["Controller:LeaderElect"] = "true",
            ["Kube:LeaderElection:RetryPeriod"] = "200ms",
            ["Admission:CheckInterval"] = "200ms",
        }, otherLeader: true);
        await setup.EnableImagePullsAsync(cancellationToken);
        await setup.Harness.CreateAsync(Fixtures.GitConnector("team", "reg", "https://registry.example.com"), cancellationToken);
        await WaitAsync(() => setup.Services.GetRequiredService<ControllerCaches>().Connectors.Get("team", "reg") is not null, cancellationToken);

        var (_, pod) = await setup.Api.SendAsync(HttpMethod.Post, "api/v1/namespaces/team/pods", Pod("team/reg"), cancellationToken);
        var secretName = (string?)pod["spec"]?["imagePullSecrets"]?[0]?["name"] ?? "";
        await WaitAsync(async () => (await setup.Harness.Client.GetAsync<Secret>("team", secretName, cancellationToken)).Value is not null, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);   // past the rounds the admission asked for (5 x 200 ms)
        await setup.Harness.Client.DeleteAsync<Secret>("team", secretName, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);   // seven rounds of a leader
        var whileFollowing = (await setup.Harness.Client.GetAsync<Secret>("team", secretName, cancellationToken)).Value;

        await setup.Api.SendAsync(HttpMethod.Delete, "apis/coordination.k8s.io/v1/namespaces/connectors-system/leases/connectors-controller", null, cancellationToken);
        await WaitAsync(async () => (await setup.Harness.Client.GetAsync<Secret>("team", secretName, cancellationToken)).Value is not null, cancellationToken);
        Assert.That(whileFollowing, Is.Null, "written back by a replica that does not lead");
    }

    [Test, CancelAfter(30_000)]
    public async Task PodWebhook_ForgedReviewForAnotherServiceAccount_NoTokenIssued(CancellationToken cancellationToken)
    {
        // Anyone who reaches the webhook listener can post a review (the API server presents no client certificate):
        // the review names a Secret; no Pod exists, so the controller never writes one.
        await using var setup = await Setup.StartAsync(cancellationToken);
        await setup.EnableImagePullsAsync(cancellationToken);
        await ConnectorInCacheAsync(setup, cancellationToken);
        var admission = setup.Services.GetRequiredService<PodAdmission>();
        var pod = JsonNode.Parse(Pod("team/reg"))!.AsObject();
        pod["spec"]!["serviceAccountName"] = "privileged";
        var forged = new JsonObject { ["uid"] = "f", ["operation"] = "CREATE", ["namespace"] = "team", ["object"] = pod };
        var decision = await admission.ReviewAsync(forged, cancellationToken);
        await setup.Services.GetRequiredService<PullSecretRenewer>().SyncAsync(cancellationToken);
        var secrets = await setup.Harness.Client.ListAsync<Secret>("team", null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(decision.Allowed, Is.True);
            Assert.That(secrets.Value!.Items.Where(x => x.Metadata.Name!.StartsWith("connectors-pull-", StringComparison.Ordinal)), Is.Empty);
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task PullSecrets_SecretLabelledByHandWithoutItsPod_NotFilled(CancellationToken cancellationToken)
    {
        // Whoever may write Secrets could once label one and get a token of any ServiceAccount of the namespace.
        await using var setup = await Setup.StartAsync(cancellationToken);
        var connector = await ConnectorInCacheAsync(setup, cancellationToken);
        var name = PullSecrets.NameFor("team", "privileged", connector, "10.96.0.50:80");
        var forged = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = new JsonObject { [PullSecrets.Label] = "true" },
                ["annotations"] = new JsonObject
                {
                    [PullSecrets.ConnectorAnnotation] = "team/reg",
                    [PullSecrets.ServiceAccountAnnotation] = "privileged",
                    [PullSecrets.RegistryAnnotation] = "10.96.0.50:80",
                },
            },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject { [".dockerconfigjson"] = "e30=" },
        };
        await setup.Api.CreateAsync("api/v1/namespaces/team/secrets", forged.ToJsonString(), cancellationToken);

        await setup.Services.GetRequiredService<PullSecretRenewer>().SyncAsync(cancellationToken);

        var secret = (await setup.Harness.Client.GetAsync<Secret>("team", name, cancellationToken)).Value!;
        Assert.That(Encoding.UTF8.GetString(secret.Data![".dockerconfigjson"]), Is.EqualTo("{}"));
    }

    private static async Task<Connector> ConnectorInCacheAsync(Setup setup, CancellationToken cancellationToken)
    {
        await setup.Harness.CreateAsync(Fixtures.GitConnector("team", "reg", "https://registry.example.com"), cancellationToken);
        var caches = setup.Services.GetRequiredService<ControllerCaches>();
        await WaitAsync(() => caches.Connectors.Get("team", "reg") is not null, cancellationToken);
        return caches.Connectors.Get("team", "reg")!;
    }

    private static Pod AdmittedPod(string secretName) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = "p",
            Namespace = "team",
            Labels = new() { [PodAdmission.InjectLabel] = "true" },
            Annotations = new() { [PodAdmission.ConnectorAnnotation] = "team/reg", [PullSecrets.PodRegistryAnnotation] = "10.96.0.50:80" },
        },
        Spec = new PodSpec { ServiceAccountName = "default", ImagePullSecrets = [new LocalObjectReference { Name = secretName }] },
    };

    [Test, CancelAfter(30_000)]
    public async Task CertificateKeeper_ExpiringCertificate_RenewedAndCaBundleFollows(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(cancellationToken);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new AdmissionOptions { CertificateSecret = "renew-test" };
        var keeper = new WebhookCertificateKeeper(setup.Harness.Client, options, new ControllerOptions(), clock, NullLogger<WebhookCertificateKeeper>.Instance);
        await keeper.CheckAsync(cancellationToken);
        var first = keeper.Current!.Thumbprint;
        clock.Advance(TimeSpan.FromDays(300));
        await keeper.CheckAsync(cancellationToken);
        var secret = (await setup.Harness.Client.GetAsync<Secret>(Components, "renew-test", cancellationToken)).Value!;
        var (_, validating) = await setup.Api.SendAsync(HttpMethod.Get, "apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/connectors-webhook", null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(keeper.Current!.Thumbprint, Is.Not.EqualTo(first));
            Assert.That((string?)validating["webhooks"]?[0]?["clientConfig"]?["caBundle"], Is.EqualTo(Convert.ToBase64String(secret.Data!["ca.crt"])));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task CertificateKeeper_CertManagerAnnotation_CaBundleLeftAlone(CancellationToken cancellationToken)
    {
        await using var setup = await Setup.StartAsync(cancellationToken);
        const string Path = "apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/connectors-webhook";
        var injected = Convert.ToBase64String(Encoding.ASCII.GetBytes("injected-by-cert-manager"));
        var (_, configuration) = await setup.Api.SendAsync(HttpMethod.Get, Path, null, cancellationToken);
        configuration["metadata"]!["annotations"] = new JsonObject { [WebhookCertificateKeeper.InjectCaAnnotation] = "connectors-system/connectors-webhook-cert" };
        configuration["webhooks"]![0]!["clientConfig"]!["caBundle"] = injected;
        var (put, _) = await setup.Api.SendAsync(HttpMethod.Put, Path, configuration.ToJsonString(), cancellationToken);

        var keeper = setup.Services.GetRequiredService<WebhookCertificateKeeper>();
        await keeper.CheckAsync(cancellationToken);
        var (_, after) = await setup.Api.SendAsync(HttpMethod.Get, "apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/connectors-webhook", null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(put, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string?)after["webhooks"]?[0]?["clientConfig"]?["caBundle"], Is.EqualTo(injected));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task CertificateKeeper_ForeignSecretWithoutUsablePem_LogsAndKeepsRunning(CancellationToken cancellationToken)
    {
        // A Secret someone else wrote (cert-manager's, or by hand) that holds no certificate: the keeper says so at
        // every check; it does not stop the controller.
        await using var setup = await Setup.StartAsync(cancellationToken);
        await setup.Api.CreateAsync("api/v1/namespaces/connectors-system/secrets",
            """{"metadata":{"name":"hand-made"},"type":"kubernetes.io/tls","data":{"tls.crt":"bm90IGEgY2VydA==","tls.key":"bm90IGEga2V5","ca.crt":"bm90IGEgY2E="}}""",
            cancellationToken);
        var options = new AdmissionOptions { CertificateSecret = "hand-made", CheckInterval = TimeSpan.FromMilliseconds(50) };
        using var keeper = new WebhookCertificateKeeper(setup.Harness.Client, options, new ControllerOptions(), TimeProvider.System, NullLogger<WebhookCertificateKeeper>.Instance);

        await keeper.StartAsync(cancellationToken);
        await Task.Delay(500, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(keeper.ExecuteTask!.IsCompleted, Is.False, keeper.ExecuteTask.Exception?.ToString());
            Assert.That(keeper.Current, Is.Null);
        }

        await keeper.StopAsync(cancellationToken);
    }

    private static string Pod(string connector) => $$$"""
        {"metadata":{"name":"p","labels":{"connectors.cpaas.io/proxy-inject":"true"},"annotations":{"connectors.cpaas.io/connector":"{{{connector}}}"}},
         "spec":{"containers":[{"name":"app","image":"registry.example.com/team/app:v1"},{"name":"side","image":"busybox"}]}}
        """;

    private static async Task WaitAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (!await condition())
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    private sealed class Setup : IAsyncDisposable
    {
        private Setup(EmbeddedApi api, ControllerHarness harness)
        {
            Api = api;
            Harness = harness;
        }

        public EmbeddedApi Api { get; }

        public ControllerHarness Harness { get; }

        public IServiceProvider Services => Harness.Services;

        public static async Task<Setup> StartAsync(CancellationToken cancellationToken, Dictionary<string, string?>? settings = null, bool otherLeader = false)
        {
            var api = await EmbeddedApi.StartAsync(cancellationToken);
            await api.CreateAsync("api/v1/namespaces", """{"metadata":{"name":"connectors-system"}}""", cancellationToken);
            if (otherLeader)
            {
                // Another replica holds the controller's Lease for the next hour.
                var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
                await api.CreateAsync("apis/coordination.k8s.io/v1/namespaces/connectors-system/leases",
                    $$$"""{"metadata":{"name":"connectors-controller"},"spec":{"holderIdentity":"other-replica","leaseDurationSeconds":3600,"acquireTime":"{{{now}}}","renewTime":"{{{now}}}"}}""",
                    cancellationToken);
            }

            await api.CreateAsync("api/v1/namespaces", """{"metadata":{"name":"team"}}""", cancellationToken);
            await api.CreateAsync("api/v1/namespaces/connectors-system/services",
                """{"metadata":{"name":"connectors-proxy-service"},"spec":{"clusterIP":"10.96.0.50","ports":[{"name":"http","port":80}]}}""", cancellationToken);
            settings ??= [];
            settings["Admission:Listen"] = "127.0.0.1:0";
            var harness = await ControllerHarness.StartAsync(api, cancellationToken, settings);
            var setup = new Setup(api, harness);
            var port = harness.Services.GetRequiredService<WebhookServer>().Address!.Port;
            foreach (var obj in EmbeddedWebhooks.Objects(Components, port))
            {
                var collection = (string?)obj["kind"] switch
                {
                    "Service" => "api/v1/namespaces/connectors-system/services",
                    "ValidatingWebhookConfiguration" => "apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
                    _ => "apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations",
                };
                await api.CreateAsync(collection, obj.ToJsonString(), cancellationToken);
            }

            await harness.Services.GetRequiredService<WebhookCertificateKeeper>().CheckAsync(cancellationToken);
            await harness.CreateAsync(Fixtures.GitClass(), cancellationToken);
            await WaitAsync(() => harness.Services.GetRequiredService<ControllerCaches>().Classes.Get(null, "git") is not null, cancellationToken);
            return setup;
        }

        public async Task EnableImagePullsAsync(CancellationToken cancellationToken)
        {
            await Api.CreateAsync("api/v1/namespaces/connectors-system/configmaps",
                """{"metadata":{"name":"connectors-config"},"data":{"enable-pod-image-pull-via-connector":"true"}}""", cancellationToken);
            var flags = Services.GetRequiredService<ControllerCaches>().Flags;
            await WaitAsync(() => FeatureFlags.IsEnabled(flags.Get(Components, WellKnown.ConfigMapName), PodAdmission.FeatureFlag), cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await Harness.DisposeAsync();
            await Api.DisposeAsync();
        }
    }
}
