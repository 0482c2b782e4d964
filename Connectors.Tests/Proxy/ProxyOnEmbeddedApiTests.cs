using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Connectors.Modules.Proxy;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Connectors.Tests.Proxy;

/// <summary>The proxy with its real sources: watch caches and reviews against the embedded API, RBAC included.</summary>
[TestFixture]
public sealed class ProxyOnEmbeddedApiTests
{
    [Test, CancelAfter(60_000)]
    public async Task Send_TokensFromTokenRequest_AuthorizedByRbacAndRotationSeen(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await using var origin = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync("ok", ctx.RequestAborted), cancellationToken);
        await api.CreateAsync("api/v1/namespaces", """{"metadata":{"name":"team"}}""", cancellationToken);
        await api.CreateAsync("api/v1/namespaces", """{"metadata":{"name":"connectors-system"}}""", cancellationToken);
        await api.CreateAsync("api/v1/namespaces/team/serviceaccounts", """{"metadata":{"name":"builder"}}""", cancellationToken);
        await api.CreateAsync("api/v1/namespaces/team/secrets",
            """{"metadata":{"name":"git-creds"},"type":"kubernetes.io/basic-auth","stringData":{"username":"gituser","password":"first"}}""", cancellationToken);
        await api.CreateAsync("apis/connectors.alauda.io/v1alpha1/namespaces/team/connectors",
            """{"metadata":{"name":"git"},"spec":{"connectorClassName":"git","address":"ADDRESS","auth":{"name":"basicAuth","secretRef":{"name":"git-creds"}}}}"""
                .Replace("ADDRESS", origin.BaseAddress.ToString(), StringComparison.Ordinal), cancellationToken);
        await api.CreateAsync("apis/rbac.authorization.k8s.io/v1/namespaces/team/roles",
            """{"metadata":{"name":"use-git"},"rules":[{"apiGroups":["connectors.alauda.io"],"resources":["connectors"],"resourceNames":["git"],"verbs":["get"]}]}""", cancellationToken);
        await api.CreateAsync("apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings",
            """{"metadata":{"name":"use-git"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"use-git"},"subjects":[{"kind":"ServiceAccount","name":"builder","namespace":"team"}]}""", cancellationToken);
        var defaultAudience = await api.CreateTokenAsync("team", "builder", cancellationToken);
        var proxyAudience = await api.CreateTokenAsync("team", "builder", cancellationToken, "http://c-git.team.svc.cluster.local");
        var otherAudience = await api.CreateTokenAsync("team", "builder", cancellationToken, "https://somewhere.else");
        var unbound = await api.CreateTokenAsync("team", "default", cancellationToken);

        using var host = await StartProxyAsync(api.KubeconfigPath, cancellationToken);
        var proxy = host.Services.GetRequiredService<ProxyServer>().Address!;
        using var client = new HttpClient();
        async Task<HttpStatusCode> SendAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(proxy, "/info/refs"));
            request.Headers.Host = "c-git.team.svc";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + token)));
            using var response = await client.SendAsync(request, cancellationToken);
            return response.StatusCode;
        }

        var statuses = new[] { await SendAsync(defaultAudience), await SendAsync(proxyAudience), await SendAsync(otherAudience), await SendAsync(unbound) };
        using var admin = api.CreateClient();
        using var patch = new StringContent("""{"stringData":{"password":"second"}}""", Encoding.UTF8, "application/merge-patch+json");
        (await admin.PatchAsync("api/v1/namespaces/team/secrets/git-creds", patch, cancellationToken)).EnsureSuccessStatusCode();
        var rotated = Basic("gituser", "second");
        for (var attempt = 0; attempt < 100 && origin.Seen.Last().Headers["Authorization"] != rotated; attempt++)
        {
            await SendAsync(defaultAudience);
            await Task.Delay(50, cancellationToken);
        }

        var seen = origin.Seen.ToArray();
        // The feature flag (namespaced ConfigMap cache) makes connectors/proxy required too; builder lacks it.
        await api.CreateAsync("api/v1/namespaces/connectors-system/configmaps",
            """{"metadata":{"name":"connectors-config"},"data":{"enable-connector-proxy-permissions":"true"}}""", cancellationToken);
        var flagged = HttpStatusCode.OK;
        for (var attempt = 0; attempt < 100 && flagged == HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(50, cancellationToken);
            flagged = await SendAsync(defaultAudience);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden }));
            Assert.That(seen[0].Headers["Authorization"], Is.EqualTo(Basic("gituser", "first")));
            Assert.That(seen[^1].Headers["Authorization"], Is.EqualTo(rotated));
            Assert.That(flagged, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(host.Services.GetRequiredService<ResourceCacheOptions<ConfigMap>>().Namespace, Is.EqualTo("connectors-system"), "RBAC allows ConfigMaps only there");
        }

        await host.StopAsync(cancellationToken);
    }

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    private static async Task<IHost> StartProxyAsync(string kubeconfig, CancellationToken cancellationToken)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kube:Kubeconfig"] = kubeconfig,
            ["Proxy:Listen"] = "127.0.0.1:0",
            ["Components:Namespace"] = "connectors-system",
        });
        builder.Logging.ClearProviders();
        builder.Services.AddProxy();
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        foreach (var task in new[]
        {
            host.Services.GetRequiredService<ResourceCache<Connector>>().WaitForSyncAsync(cancellationToken),
            host.Services.GetRequiredService<ResourceCache<Secret>>().WaitForSyncAsync(cancellationToken),
        })
        {
            await task;
        }

        return host;
    }
}
