using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Connectors.Modules.Model;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Registry;

/// <summary>
/// Registry stand-ins that misbehave: an upload session sent to another host or out of the Connector by dot segments,
/// a token service that fails and then moves, and a workload asking the registry's token service itself.
/// </summary>
[TestFixture]
public sealed class RegistryHostileTests
{
    private const string Token = "sa-token-hostile";
    private const string User = "system:serviceaccount:team:builder";
    private static readonly string RobotBasic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("robot:robot-pass"));

    [TestCase("http://attacker.example/v2/a/blobs/uploads/abc?_state=q-secret", "another origin")]
    [TestCase("//attacker.example/v2/a/blobs/uploads/abc?_state=q-secret", "another origin")]
    [TestCase("http://{proxy}/namespaces/team/connectors/other/v2/a/blobs/uploads/abc?_state=q-secret", "another origin")]
    [TestCase("/v2/../../namespaces/team/connectors/other/a/blobs/uploads/abc?_state=q-secret", "dot segment")]
    [TestCase("/v2/%2e%2e/%2E%2e/namespaces/team/connectors/other/a/blobs/uploads/abc?_state=q-secret", "dot segment")]
    [CancelAfter(20_000)]
    public async Task UploadStart_ForeignOrDottedLocation_502AndNothingOfTheAnswerReachesTheClient(string location, string reason, CancellationToken cancellationToken)
    {
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken);
        location = location.Replace("{proxy}", proxy.Address.Authority, StringComparison.Ordinal);
        await using var registry = await ToolServer.StartAsync(async ctx =>
        {
            if (ctx.Request.Path == "/v2/")
            {
                return;
            }

            ctx.Response.StatusCode = 202;
            ctx.Response.Headers.Location = location;
            ctx.Response.Headers["Docker-Upload-UUID"] = "leak-uuid";
            await ctx.Response.WriteAsync("leak-body", ctx.RequestAborted);
        }, cancellationToken);
        AddRegistry(proxy, "reg", registry.BaseAddress.ToString());
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var start = await client.SendAsync(Authorized(HttpMethod.Post, new Uri(proxy.Address, "/v2/namespaces/team/connectors/reg/a/blobs/uploads/")), cancellationToken);
        using var reverse = await client.SendAsync(Authorized(HttpMethod.Post, new Uri(proxy.Address, "/namespaces/team/connectors/reg/v2/a/blobs/uploads/")), cancellationToken);

        foreach (var response in new[] { start, reverse })
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway), body);
                Assert.That(response.Headers.Location, Is.Null);
                Assert.That(response.Headers.Contains("Docker-Upload-UUID"), Is.False);
                Assert.That(ErrorOf(body), Is.EqualTo("BLOB_UPLOAD_INVALID"));
                Assert.That(MessageOf(body), Does.StartWith("connectors proxy: the registry's answer was refused").And.Contain(reason));
                Assert.That(body, Does.Not.Contain("leak-body").And.Not.Contain("q-secret").And.Not.Contain("uploads/abc"));
            }
        }

        Assert.That(registry.Requests.Count(r => r.Method == "POST"), Is.EqualTo(2));
        Assert.That(proxy.Logs, Does.Not.Contain("q-secret"));
    }

    [Test, CancelAfter(20_000)]
    public async Task BlobGet_RedirectToStorageOnAnotherHost_PassedUnchanged_SameOriginUploadMapped(CancellationToken cancellationToken)
    {
        await using var registry = await ToolServer.StartAsync(ctx =>
        {
            if (ctx.Request.Path.StartsWithSegments("/v2/a/blobs/uploads"))
            {
                ctx.Response.StatusCode = 202;
                ctx.Response.Headers.Location = $"http://{ctx.Request.Host}/v2/a/blobs/uploads/u1?_state=s";
            }
            else if (ctx.Request.Path.StartsWithSegments("/v2/a/blobs"))
            {
                ctx.Response.StatusCode = 307;
                ctx.Response.Headers.Location = "https://storage.example.net/bucket/blob?X-Amz-Signature=sig";
            }
        }, cancellationToken);
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken);
        AddRegistry(proxy, "reg", registry.BaseAddress.ToString());
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var blob = await client.SendAsync(Authorized(HttpMethod.Get, new Uri(proxy.Address, "/v2/namespaces/team/connectors/reg/a/blobs/sha256:1")), cancellationToken);
        using var upload = await client.SendAsync(Authorized(HttpMethod.Post, new Uri(proxy.Address, "/v2/namespaces/team/connectors/reg/a/blobs/uploads/")), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(blob.StatusCode, Is.EqualTo(HttpStatusCode.TemporaryRedirect));
            Assert.That(blob.Headers.Location?.OriginalString, Is.EqualTo("https://storage.example.net/bucket/blob?X-Amz-Signature=sig"));
            Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(upload.Headers.Location?.OriginalString, Is.EqualTo("/v2/namespaces/team/connectors/reg/a/blobs/uploads/u1?_state=s"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task TokenServiceFails_ThenTheChallengeNamesAWorkingOne_RelearntWithoutExtraCallsOnceWorking(CancellationToken cancellationToken)
    {
        var realm = "broken-token";
        Uri? self = null;
        await using var registry = await ToolServer.StartAsync(async ctx =>
        {
            var path = ctx.Request.Path.Value!;
            if (path == "/broken-token")
            {
                ctx.Response.StatusCode = 500;
                return;
            }

            if (path == "/working-token")
            {
                ctx.Response.StatusCode = ctx.Request.Headers.Authorization == RobotBasic ? 200 : 401;
                await ctx.Response.WriteAsync("{\"token\":\"upstream-token\",\"expires_in\":300}", ctx.RequestAborted);
                return;
            }

            if (path == "/v2/" || ctx.Request.Headers.Authorization != "Bearer upstream-token")
            {
                ctx.Response.StatusCode = 401;
                ctx.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{self}{realm}\",service=\"stand-in\"";
                return;
            }

            await ctx.Response.WriteAsync("{\"name\":\"a\",\"tags\":[\"v1\"]}", ctx.RequestAborted);
        }, cancellationToken);
        self = new Uri(registry.BaseAddress, "/");
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken);
        AddRegistry(proxy, "reg", registry.BaseAddress.ToString());
        using var client = new HttpClient();
        var tags = new Uri(proxy.Address, "/v2/namespaces/team/connectors/reg/a/tags/list");

        using var failing = await client.SendAsync(Authorized(HttpMethod.Get, tags), cancellationToken);
        realm = "working-token";
        using var relearnt = await client.SendAsync(Authorized(HttpMethod.Get, tags), cancellationToken);
        var probesAfterRelearning = registry.Requests.Count(r => r.PathAndQuery == "/v2/");
        using var steady = await client.SendAsync(Authorized(HttpMethod.Get, tags), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failing.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(relearnt.StatusCode, Is.EqualTo(HttpStatusCode.OK), proxy.Logs);
            Assert.That(steady.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(probesAfterRelearning, Is.EqualTo(2), "/v2/ asked again after the token service failed");
            Assert.That(registry.Requests.Count(r => r.PathAndQuery == "/v2/"), Is.EqualTo(2), "no probe while the token service works");
            Assert.That(registry.Requests.Count(r => r.PathAndQuery.StartsWith("/working-token", StringComparison.Ordinal)), Is.EqualTo(1), "the token is cached");
            Assert.That(registry.Requests.Count(r => r.PathAndQuery == "/v2/a/tags/list"), Is.EqualTo(2), "one upstream call per request once working");
        }
    }

    [TestCase("/namespaces/team/connectors/harbor/service/token?service=harbor-registry&scope=repository:a:pull")]
    [TestCase("/namespaces/team/connectors/harbor/service/token/?scope=repository:a:push,pull")]
    [TestCase("/namespaces/team/connectors/harbor/Service//TOKEN")]
    [TestCase("/namespaces/team/connectors/harbor/service/%74oken?scope=x")]
    [TestCase("/namespaces/team/connectors/harbor/auth/realm-token?service=harbor-registry&scope=repository:a:pull")]
    [TestCase("/namespaces/team/connectors/harbor/auth/./realm-token")]
    [TestCase("/namespaces/team/connectors/harbor/v2/auth?service=quay&scope=repository:a:push,pull")]
    [TestCase("/namespaces/team/connectors/harbor/v2/a/../auth?scope=repository:a:push")]
    [TestCase("/namespaces/team/connectors/harbor/auth/realm-token?scope=repository:a:pull", false)]
    [TestCase("/namespaces/team/connectors/harbor/v2/auth?scope=repository:a:push", false)]
    [CancelAfter(20_000)]
    public async Task TokenServicePath_ThroughARegistryConnector_403AndNeverSentTheRobotAccount(string target, bool registryRequestFirst = true, CancellationToken cancellationToken = default)
    {
        // Quay's token service is /v2/auth; the realm is only known once the challenge is, which the proxy learns itself.
        static bool IsTokenPath(string pathAndQuery) =>
            pathAndQuery.Contains("token", StringComparison.OrdinalIgnoreCase) || pathAndQuery.StartsWith("/v2/auth", StringComparison.Ordinal);
        Uri? self = null;
        await using var harbor = await ToolServer.StartAsync(async ctx =>
        {
            var path = ctx.Request.Path.Value!;
            if (IsTokenPath(path))
            {
                ctx.Response.StatusCode = ctx.Request.Headers.Authorization == RobotBasic ? 200 : 401;
                await ctx.Response.WriteAsync("{\"token\":\"upstream-token\"}", ctx.RequestAborted);
                return;
            }

            if (path == "/v2/" || ctx.Request.Headers.Authorization != "Bearer upstream-token")
            {
                ctx.Response.StatusCode = 401;
                ctx.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{self}auth/realm-token\",service=\"harbor-registry\"";
                return;
            }

            await ctx.Response.WriteAsync("{\"name\":\"a\",\"tags\":[\"v1\"]}", ctx.RequestAborted);
        }, cancellationToken);
        self = new Uri(harbor.BaseAddress, "/");
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken);
        AddRegistry(proxy, "harbor", harbor.BaseAddress.ToString());
        using var client = new HttpClient();

        // A registry request first: the proxy learns the challenge, and its realm, as it does in use.
        using var tags = registryRequestFirst
            ? await client.SendAsync(Authorized(HttpMethod.Get, new Uri(proxy.Address, "/v2/namespaces/team/connectors/harbor/a/tags/list")), cancellationToken)
            : new HttpResponseMessage(HttpStatusCode.OK);
        var tokenRequests = harbor.Requests.Count(r => IsTokenPath(r.PathAndQuery));
        using var stolen = await client.SendAsync(Authorized(HttpMethod.Get, new Uri(proxy.Address, target)), cancellationToken);

        var body = await stolen.Content.ReadAsStringAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tags.StatusCode, Is.EqualTo(HttpStatusCode.OK), proxy.Logs);
            Assert.That(stolen.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), body);
            Assert.That(ErrorOf(body), Is.EqualTo("DENIED"));
            Assert.That(MessageOf(body), Does.StartWith("connectors proxy: the registry's token service is not reachable through connector \"team/harbor\""));
            Assert.That(body, Does.Not.Contain("upstream-token"));
            Assert.That(harbor.Requests.Count(r => IsTokenPath(r.PathAndQuery)), Is.EqualTo(tokenRequests), "the token service got nothing more");
        }
    }

    private static void AddRegistry(ProxyHarness proxy, string name, string address)
    {
        proxy.Directory.Put(new ConnectorClass { Metadata = new ObjectMeta { Name = "oci-test", Annotations = new() { [WellKnown.ProxyModeAnnotation] = "registry" } } });
        proxy.AddConnector("team", name, address, Secrets.Of("robot", SecretTypes.DistributionRegistryToken, ("username", "robot"), ("password", "robot-pass")), "oci-test", "tokenAuth");
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", name);
    }

    private static string? ErrorOf(string body) => Field(body, "code");

    private static string? MessageOf(string body) => Field(body, "message");

    private static string? Field(string body, string name)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("errors")[0].GetProperty(name).GetString();
    }

    private static HttpRequestMessage Authorized(HttpMethod method, Uri uri) =>
        new(method, uri) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token) } };
}
