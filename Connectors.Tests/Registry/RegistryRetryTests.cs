using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Connectors.Modules.Model;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Registry;

/// <summary>
/// A registry stand-in whose challenge asks for a scope the proxy cannot guess (<c>repository:a:pull,special</c>): a
/// bodyless request is answered once more with the token for the challenge's scope; a request with a body is not
/// sent twice and becomes 403. The client sees neither the registry's token nor its realm.
/// </summary>
[TestFixture]
public sealed class RegistryRetryTests
{
    private const string Token = "sa-token-retry";
    private const string User = "system:serviceaccount:team:builder";

    private static async Task Registry(HttpContext context, Uri self)
    {
        var path = context.Request.Path.Value!;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (path == "/token")
        {
            var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("robot:robot-pass"));
            context.Response.StatusCode = authorization == basic ? 200 : 401;
            await context.Response.WriteAsync($"{{\"token\":\"upstream-token-{context.Request.Query["scope"]}\"}}", context.RequestAborted);
            return;
        }

        if (path == "/v2/" || authorization != "Bearer upstream-token-repository:a:pull,special")
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{self}token\",service=\"stand-in\",scope=\"repository:a:pull,special\"";
            return;
        }

        await context.Response.WriteAsync("{\"name\":\"a\",\"tags\":[\"v1\"]}", context.RequestAborted);
    }

    [Test, CancelAfter(20_000)]
    public async Task Bodyless401WithAnotherScope_RetriedOnceWithThatScope_BodyfulBecomes403(CancellationToken cancellationToken)
    {
        Uri? self = null;
        await using var registry = await ToolServer.StartAsync(ctx => Registry(ctx, self!), cancellationToken);
        self = new Uri(registry.BaseAddress, "/");
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.Directory.Put(new ConnectorClass { Metadata = new ObjectMeta { Name = "oci-test", Annotations = new() { [WellKnown.ProxyModeAnnotation] = "registry" } } });
        proxy.AddConnector("team", "reg", registry.BaseAddress.ToString(), Secrets.Of("robot", SecretTypes.DistributionRegistryToken, ("username", "robot"), ("password", "robot-pass")), "oci-test", "tokenAuth");
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "reg");
        using var client = new HttpClient();
        var auth = new AuthenticationHeaderValue("Bearer", Token);

        using var list = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(proxy.Address, "/v2/namespaces/team/connectors/reg/a/tags/list")) { Headers = { Authorization = auth } }, cancellationToken);
        using var put = await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, new Uri(proxy.Address, "/v2/namespaces/team/connectors/reg/a/manifests/v2"))
        {
            Headers = { Authorization = auth },
            Content = new StringContent("{\"schemaVersion\":2}"),
        }, cancellationToken);

        var tagRequests = registry.Requests.Where(r => r.PathAndQuery == "/v2/a/tags/list").Select(r => r.Headers.GetValueOrDefault("Authorization")).ToList();
        var putBody = await put.Content.ReadAsStringAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK), proxy.Logs);
            Assert.That(await list.Content.ReadAsStringAsync(cancellationToken), Does.Contain("\"tags\":[\"v1\"]"));
            Assert.That(tagRequests, Is.EqualTo(new[] { "Bearer upstream-token-repository:a:pull", "Bearer upstream-token-repository:a:pull,special" }));
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(registry.Requests.Count(r => r.Method == "PUT"), Is.EqualTo(1), "a request with a body is sent once");
            Assert.That(put.Headers.WwwAuthenticate, Is.Empty, "no registry challenge reaches the client");
            Assert.That(string.Join('\n', list.Headers.Concat(put.Headers).SelectMany(h => h.Value)) + putBody, Does.Not.Contain("upstream-token").And.Not.Contain("/token"));
            Assert.That(proxy.Logs, Does.Not.Contain("upstream-token").And.Not.Contain("robot-pass"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task NonRegistryPathOfARegistryConnector_GetsTheSecretTypesInjection(CancellationToken cancellationToken)
    {
        await using var harbor = await ToolServer.StartAsync(ctx => ctx.Response.WriteAsync("{\"username\":\"robot\"}", ctx.RequestAborted), cancellationToken);
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.Directory.Put(new ConnectorClass { Metadata = new ObjectMeta { Name = "harbor-test", Annotations = new() { [WellKnown.ProxyModeAnnotation] = "registry" } } });
        proxy.AddConnector("team", "harbor", harbor.BaseAddress.ToString(), Secrets.Basic("robot", "robot", "robot-pass"), "harbor-test", "basicAuth");
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "harbor");
        using var client = new HttpClient();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(proxy.Address, "/namespaces/team/connectors/harbor/api/v2.0/users/current"))
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token) },
        }, cancellationToken);

        // Before a credential goes to a path outside the distribution API, the proxy learns the registry's challenge
        // (GET /v2/ without credentials), so it knows whether that path is the token service.
        var seen = harbor.Requests.Single(r => r.PathAndQuery != "/v2/");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(harbor.Requests.Where(r => r.PathAndQuery == "/v2/").Select(r => r.Headers.ContainsKey("Authorization")), Has.All.False);
            Assert.That(seen.PathAndQuery, Is.EqualTo("/api/v2.0/users/current"));
            Assert.That(seen.Headers["Authorization"], Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("robot:robot-pass"))));
        }
    }
}
