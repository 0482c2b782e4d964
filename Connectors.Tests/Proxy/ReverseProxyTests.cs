using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Connectors.Modules.Model;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Proxy;

[TestFixture]
public sealed class ReverseProxyTests
{
    private const string Token = "sa-token-abc";
    private const string User = "system:serviceaccount:team:builder";

    private static async Task<(ProxyHarness Proxy, LoopbackOrigin Origin)> StartAsync(RequestDelegate handler, string addressSuffix, CancellationToken cancellationToken)
    {
        var origin = await LoopbackOrigin.StartAsync(handler, cancellationToken);
        var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.AddConnector("team", "git", origin.BaseAddress.ToString().TrimEnd('/') + addressSuffix, Secrets.Basic("git-creds", "gituser", "gitpass"));
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "git");
        return (proxy, origin);
    }

    private static HttpRequestMessage Get(ProxyHarness proxy, string pathAndQuery, string? host, AuthenticationHeaderValue? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(proxy.Address, pathAndQuery));
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        request.Headers.Authorization = authorization;
        return request;
    }

    private static AuthenticationHeaderValue BasicToken(string token) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + token)));

    [Test, CancelAfter(20_000)]
    public async Task HostForm_ValidToken_InjectsBasicAndStripsClientAuthorization(CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => ctx.Response.WriteAsync("hello", ctx.RequestAborted), "/prefix", cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;
        using var client = new HttpClient();

        using var response = await client.SendAsync(Get(proxy, "/repo.git/info/refs?service=git-upload-pack", "c-git.team.svc.cluster.local", BasicToken(Token)), cancellationToken);

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.That(origin.Seen.TryPeek(out var seen), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body, Is.EqualTo("hello"));
            Assert.That(seen!.PathAndQuery, Is.EqualTo("/prefix/repo.git/info/refs?service=git-upload-pack"));
            Assert.That(seen.Host, Is.EqualTo(origin.BaseAddress.Authority));
            Assert.That(seen.Headers["Authorization"], Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("gituser:gitpass"))));
            Assert.That(proxy.Logs, Does.Not.Contain(Token));
            Assert.That(proxy.Logs, Does.Contain("team/git").And.Contain(User));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task PathForm_BearerToken_StripsPrefixAndKeepsQuery(CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => ctx.Response.WriteAsync("ok", ctx.RequestAborted), string.Empty, cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;
        using var client = new HttpClient();

        using var response = await client.SendAsync(Get(proxy, "/namespaces/team/connectors/git/a/b?x=1&y=%2F", null, new("Bearer", Token)), cancellationToken);

        Assert.That(origin.Seen.TryPeek(out var seen), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(seen!.PathAndQuery, Is.EqualTo("/a/b?x=1&y=%2F"));
        }
    }

    [TestCase(null, 401, TestName = "Send_NoToken_401Challenge")]
    [TestCase("wrong-token", 401, TestName = "Send_BadToken_401")]
    [Test, CancelAfter(20_000)]
    public async Task Send_Unauthenticated_Challenged(string? token, int expected, CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => Task.CompletedTask, string.Empty, cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;
        using var client = new HttpClient();

        using var response = await client.SendAsync(Get(proxy, "/x", "c-git.team.svc", token is null ? null : BasicToken(token)), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(expected));
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Basic realm=\"connectors\""));
            Assert.That(origin.Seen, Is.Empty);
            Assert.That(proxy.Logs, Does.Not.Contain("wrong-token"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Send_AccessDenied_403AndUnknownConnector_404(CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => Task.CompletedTask, string.Empty, cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;
        proxy.Reviews.AddToken("other-token", "system:serviceaccount:team:other");
        proxy.AddConnector("team", "gone-soon", origin.BaseAddress.ToString(), null);
        using var client = new HttpClient();

        using var denied = await client.SendAsync(Get(proxy, "/x", "c-git.team.svc", BasicToken("other-token")), cancellationToken);
        using var unknown = await client.SendAsync(Get(proxy, "/x", "c-nothere.team.svc", BasicToken(Token)), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(denied.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await denied.Content.ReadAsStringAsync(cancellationToken), Does.Contain("may not get connectors \"git\""));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(origin.Seen, Is.Empty);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Send_ProxyPermissionsFlag_AlsoChecksProxySubresource(CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => Task.CompletedTask, string.Empty, cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;
        proxy.Directory.Put(new ConfigMap
        {
            Metadata = new ObjectMeta { Namespace = WellKnown.DefaultComponentsNamespace, Name = WellKnown.ConfigMapName },
            Data = new() { ["enable-connector-proxy-permissions"] = "true" },
        });
        using var client = new HttpClient();

        using var denied = await client.SendAsync(Get(proxy, "/x", "c-git.team.svc", BasicToken(Token)), cancellationToken);
        proxy.Reviews.Grant(User, "team", "git", "proxy");
        proxy.Directory.Put(new ConfigMap
        {
            Metadata = new ObjectMeta { Namespace = WellKnown.DefaultComponentsNamespace, Name = WellKnown.ConfigMapName },
            Data = new() { ["enable-connector-proxy-permissions"] = "false" },
        });
        using var allowed = await client.SendAsync(Get(proxy, "/x", "c-git.team.svc", BasicToken(Token)), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(denied.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(proxy.Reviews.AccessAsked.Select(a => a.Subresource), Does.Contain("proxy"));
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Send_ManyRequests_ReviewsCachedAndSecretRotationSeen(CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => Task.CompletedTask, string.Empty, cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;
        using var client = new HttpClient();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            using var response = await client.SendAsync(Get(proxy, "/x", "c-git.team.svc", BasicToken(Token)), cancellationToken);
            return response.StatusCode;
        }));
        proxy.Directory.Put(Secrets.Basic("git-creds", "gituser", "rotated").WithNamespace("team"));
        using var after = await client.SendAsync(Get(proxy, "/x", "c-git.team.svc", BasicToken(Token)), cancellationToken);

        var last = origin.Seen.Last();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(proxy.Reviews.TokenReviews, Is.EqualTo(1));
            Assert.That(proxy.Reviews.AccessReviews, Is.EqualTo(1));
            Assert.That(last.Headers["Authorization"], Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("gituser:rotated"))));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Send_RedirectToConnectorAddress_PassedThroughWithLocationRewritten(CancellationToken cancellationToken)
    {
        Uri? self = null;
        var (proxy, origin) = await StartAsync(ctx =>
        {
            ctx.Response.StatusCode = 301;
            ctx.Response.Headers.Location = ctx.Request.Path == "/base/old" ? new Uri(self!, "/base/new?q=1").ToString() : "https://elsewhere.example/x";
            return Task.CompletedTask;
        }, "/base", cancellationToken);
        self = origin.BaseAddress;
        await using var _ = proxy;
        await using var __ = origin;
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var own = await client.SendAsync(Get(proxy, "/namespaces/team/connectors/git/old", null, BasicToken(Token)), cancellationToken);
        using var foreign = await client.SendAsync(Get(proxy, "/other", "c-git.team.svc:8080", BasicToken(Token)), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)own.StatusCode, Is.EqualTo(301));
            Assert.That(own.Headers.Location!.ToString(), Is.EqualTo($"http://{proxy.Address.Authority}/namespaces/team/connectors/git/new?q=1"));
            Assert.That(foreign.Headers.Location!.ToString(), Is.EqualTo("https://elsewhere.example/x"));
            Assert.That(origin.Seen, Has.Count.EqualTo(2));
        }
    }
}
