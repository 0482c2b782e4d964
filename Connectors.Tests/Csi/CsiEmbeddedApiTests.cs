using System.Text;
using System.Text.Json.Nodes;
using Connectors.Modules.Csi;
using Connectors.Tests.Support;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Connectors.Tests.Csi;

/// <summary>The driver as the csi-node role composes it (Kube client, watch caches, TokenRequest, RBAC-evaluated SubjectAccessReview) on the embedded API.</summary>
[TestFixture]
public sealed class CsiEmbeddedApiTests
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIBembedded\n-----END CERTIFICATE-----\n";

    [Test, CancelAfter(60_000)]
    public async Task Publish_OnEmbeddedApi_IssuesTokenChecksRbacAndRendersGo(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await SeedAsync(api, cancellationToken);
        using var directory = new TempDirectory();
        using var host = await StartDriverAsync(api, directory, cancellationToken);
        using var client = new CsiDriverClient("unix://" + directory.Combine("csi.sock"), TimeSpan.FromSeconds(10));
        Directory.CreateDirectory(directory.Combine("pod"));
        var target = directory.Combine("pod", "mount");
        var context = new Dictionary<string, string>
        {
            ["csi.storage.k8s.io/pod.namespace"] = "team",
            ["csi.storage.k8s.io/serviceAccount.name"] = "builder",
            ["connectors"] = "git",
            ["configuration.names"] = "gitconfig",
        };

        await PublishWhenReadyAsync(client, target, context, cancellationToken);
        var token = await File.ReadAllTextAsync(Path.Combine(target, "context.token"), cancellationToken);
        var gitconfig = await File.ReadAllTextAsync(Path.Combine(target, ".gitconfig"), cancellationToken);
        context["connectors"] = "secret";
        var denied = await Assert.ThrowsAsync<RpcException>(() => client.PublishAsync("v2", directory.Combine("pod", "denied"), context, cancellationToken));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(token.Split('.'), Has.Length.EqualTo(3), "a signed ServiceAccount JWT");
            Assert.That(gitconfig, Is.EqualTo(
                "[http]\n    extraHeader = Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + token)) + "\n"
                + "[url \"http://c-git.team.svc.cluster.local\"]\n    insteadOf = https://git.example.com\n"));
            Assert.That(await File.ReadAllTextAsync(Path.Combine(target, "ca.crt"), cancellationToken), Is.EqualTo(Pem));
            Assert.That(denied!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(Directory.Exists(directory.Combine("pod", "denied")), Is.False);
        }

        await host.StopAsync(cancellationToken);
    }

    [Test, CancelAfter(60_000)]
    public async Task Publish_ApiRefusesConnections_AnswersUnavailable(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await SeedAsync(api, cancellationToken);
        using var directory = new TempDirectory();
        var proxy = TcpFaultProxy.Start(api.BaseUrl);
        using var host = await StartDriverAsync(api, directory, cancellationToken, ThroughProxy(api, proxy, directory));
        using var client = new CsiDriverClient("unix://" + directory.Combine("csi.sock"), TimeSpan.FromSeconds(50));
        Directory.CreateDirectory(directory.Combine("pod"));
        await PublishWhenReadyAsync(client, directory.Combine("pod", "first"), GitVolume(), cancellationToken);

        await proxy.DisposeAsync();   // the API's address now refuses connections
        var error = await Assert.ThrowsAsync<RpcException>(() => client.PublishAsync("v2", directory.Combine("pod", "second"), GitVolume(), cancellationToken));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
            Assert.That(error.Status.Detail, Does.StartWith("could not check access to connector \"team/git\": subjectaccessreview: POST ").And.Contain("cannot reach the Kubernetes API"));
            Assert.That(Directory.Exists(directory.Combine("pod", "second")), Is.False);
        }

        await host.StopAsync(cancellationToken);
    }

    [Test, CancelAfter(60_000)]
    public async Task Publish_ApiAcceptsButNeverAnswers_AnswersUnavailableWithinApiTimeout(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await SeedAsync(api, cancellationToken);
        using var directory = new TempDirectory();
        await using var proxy = TcpFaultProxy.Start(api.BaseUrl);
        // The Kube client would wait 10 minutes for one answer: only Csi:ApiTimeout can end the call in time.
        using var host = await StartDriverAsync(api, directory, cancellationToken, ThroughProxy(api, proxy, directory), new Dictionary<string, string?>
        {
            ["Kube:RequestTimeout"] = "00:10:00",
            ["Csi:ApiTimeout"] = "00:00:02",
        });
        using var client = new CsiDriverClient("unix://" + directory.Combine("csi.sock"), TimeSpan.FromSeconds(50));
        Directory.CreateDirectory(directory.Combine("pod"));
        await PublishWhenReadyAsync(client, directory.Combine("pod", "first"), GitVolume(), cancellationToken);

        proxy.Stall();
        var error = await Assert.ThrowsAsync<RpcException>(() => client.PublishAsync("v2", directory.Combine("pod", "second"), GitVolume(), cancellationToken));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
            // Whichever comes first: Csi:ApiTimeout, or the reachability check the slow call set off.
            Assert.That(error.Status.Detail, Does.StartWith("the Kubernetes API did not answer the access review and token request within 2 s (Csi:ApiTimeout)")
                .Or.StartWith("the Kubernetes API is unreachable ("));
            Assert.That(Directory.Exists(directory.Combine("pod", "second")), Is.False);
        }

        proxy.Resume();
        await host.StopAsync(cancellationToken);
    }

    private static Dictionary<string, string> GitVolume() => new()
    {
        ["csi.storage.k8s.io/pod.namespace"] = "team",
        ["csi.storage.k8s.io/serviceAccount.name"] = "builder",
        ["connectors"] = "git",
    };

    /// <summary>A kubeconfig for the embedded API whose connections go through <paramref name="proxy"/>.</summary>
    private static string ThroughProxy(EmbeddedApi api, TcpFaultProxy proxy, TempDirectory directory)
    {
        var path = directory.Combine("kubeconfig");
        File.WriteAllText(path, File.ReadAllText(api.KubeconfigPath).Replace(api.BaseUrl.Authority, proxy.Authority, StringComparison.Ordinal));
        return path;
    }

    private static async Task PublishWhenReadyAsync(CsiDriverClient client, string target, Dictionary<string, string> context, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await client.PublishAsync("v1", target, context, cancellationToken);
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && attempt < 100)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static async Task<IHost> StartDriverAsync(
        EmbeddedApi api, TempDirectory directory, CancellationToken cancellationToken, string? kubeconfig = null, Dictionary<string, string?>? settings = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Configuration = new ConfigurationManager() });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kube:Kubeconfig"] = kubeconfig ?? api.KubeconfigPath,
            // Every publish asks the API, as the first one after a RoleBinding change does.
            ["Csi:AccessReviewCacheTtl"] = "00:00:00",
            ["Csi:Endpoint"] = "unix://" + directory.Combine("csi.sock"),
            ["Csi:Tmpfs"] = "false",
            ["Csi:KubeletPodsDir"] = directory.Path,
            ["Components:Namespace"] = "connectors-system",
        }).AddInMemoryCollection(settings ?? []);
        builder.Services.AddCsi();
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    private static async Task SeedAsync(EmbeddedApi api, CancellationToken cancellationToken)
    {
        foreach (var ns in new[] { "team", "connectors-system" })
        {
            await api.CreateAsync("api/v1/namespaces", $$$"""{"metadata":{"name":"{{{ns}}}"}}""", cancellationToken);
        }

        await api.CreateAsync("api/v1/namespaces/team/serviceaccounts", """{"metadata":{"name":"builder"}}""", cancellationToken);
        var pem = new JsonObject { ["tls.crt"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Pem)) }.ToJsonString();
        await api.CreateAsync("api/v1/namespaces/connectors-system/secrets", $$$"""{"metadata":{"name":"connectors-proxy-ca"},"data":{{{pem}}}}""", cancellationToken);
        var template = new JsonObject
        {
            [".gitconfig"] = "[http]\n    extraHeader = Authorization: Basic {{ printf \":%s\" .context.token | b64enc }}\n"
                + "[url \"{{ .connector.status.proxyAddress }}\"]\n    insteadOf = {{ .connector.spec.address }}\n",
        }.ToJsonString();
        await api.CreateAsync("apis/connectors.alauda.io/v1alpha1/connectorclasses",
            $$$"""{"metadata":{"name":"git"},"spec":{"configurations":[{"name":"gitconfig","data":{{{template}}}}]}}""", cancellationToken);
        foreach (var name in new[] { "git", "secret" })
        {
            await api.CreateAsync("apis/connectors.alauda.io/v1alpha1/namespaces/team/connectors",
                $$$"""{"metadata":{"name":"{{{name}}}"},"spec":{"connectorClassName":"git","address":"https://{{{name}}}.example.com"}}""", cancellationToken);
            using var http = api.CreateClient();
            using var patch = new StringContent(
                new JsonObject { ["status"] = new JsonObject { ["proxy"] = new JsonObject { ["httpAddress"] = new JsonObject { ["url"] = $"http://c-{name}.team.svc.cluster.local" } } } }.ToJsonString(),
                Encoding.UTF8, "application/merge-patch+json");
            using var response = await http.PatchAsync($"apis/connectors.alauda.io/v1alpha1/namespaces/team/connectors/{name}/status", patch, cancellationToken);
            Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync(cancellationToken));
        }

        await api.CreateAsync("apis/rbac.authorization.k8s.io/v1/namespaces/team/roles",
            """{"metadata":{"name":"use-git"},"rules":[{"apiGroups":["connectors.alauda.io"],"resources":["connectors"],"resourceNames":["git"],"verbs":["get"]}]}""", cancellationToken);
        await api.CreateAsync("apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings",
            """{"metadata":{"name":"builder-uses-git"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"use-git"},"subjects":[{"kind":"ServiceAccount","name":"builder","namespace":"team"}]}""", cancellationToken);
    }
}
