using System.Net;
using System.Net.Sockets;
using System.Text;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Proxy;

/// <summary>
/// The adversarial findings on the proxy, each asserted on what the upstream received and what the client got.
/// Requests are written on raw sockets, so nothing on the client side normalises the request-target.
/// </summary>
[TestFixture]
public sealed class ProxySecurityTests
{
    private const string Token = "sa-token-sec";
    private const string User = "system:serviceaccount:team:builder";
    private static readonly string Injected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("gituser:gitpass"));
    private static readonly string ProxyAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("team/git:" + Token));

    private static async Task<(ProxyHarness Proxy, LoopbackOrigin Origin)> StartAsync(RequestDelegate handler, string addressSuffix, CancellationToken cancellationToken)
    {
        var origin = await LoopbackOrigin.StartAsync(handler, cancellationToken);
        var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.AddConnector("team", "git", origin.BaseAddress.ToString().TrimEnd('/') + addressSuffix, Secrets.Basic("git-creds", "gituser", "gitpass"));
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "git");
        return (proxy, origin);
    }

    /// <summary>Writes one request head verbatim and reads the whole answer (the proxy closes or answers with a length).</summary>
    internal static async Task<string> RawAsync(Uri proxy, string head, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(proxy.Host, proxy.Port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Replace("\n", "\r\n", StringComparison.Ordinal) + "Connection: close\r\n\r\n"), cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private static int StatusOf(string response) => int.Parse(response.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);

    [TestCase("/namespaces/team/connectors/git/../other")]
    [TestCase("/namespaces/team/connectors/git/%2e%2e/other")]
    [TestCase("/namespaces/team/connectors/git/.%2e/other")]
    [TestCase("/namespaces/team/connectors/git/..\\other")]
    [TestCase("/namespaces/team/connectors/git/..%2Fother")]
    [TestCase("/namespaces/team/connectors/git/x%2F..%2F..%2Fother")]
    [TestCase("/namespaces/team/connectors/git/%252e%252e/other")]
    [TestCase("/namespaces/team/connectors/git/..;/other")]
    [Test, CancelAfter(20_000)]
    public async Task PathForm_EscapeFromPrefix_400AndUpstreamGetsNothing(string target, CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => ctx.Response.WriteAsync("ok", ctx.RequestAborted), "/prefix", cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;

        var response = await RawAsync(proxy.Address, $"GET {target} HTTP/1.1\nHost: proxy\nAuthorization: Bearer {Token}\n", cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(StatusOf(response), Is.EqualTo(400));
            Assert.That(response, Does.Contain("path"));
            Assert.That(origin.Seen, Is.Empty);
        }
    }

    [TestCase("/../other")]
    [TestCase("/%2e%2e/other")]
    [TestCase("/a/%2E%2E/%2E%2E/other")]
    [Test, CancelAfter(20_000)]
    public async Task HostForm_EscapeFromPrefix_400AndUpstreamGetsNothing(string target, CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => ctx.Response.WriteAsync("ok", ctx.RequestAborted), "/prefix", cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;

        var response = await RawAsync(proxy.Address, $"GET {target} HTTP/1.1\nHost: c-git.team.svc.cluster.local\nAuthorization: Bearer {Token}\n", cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(StatusOf(response), Is.EqualTo(400));
            Assert.That(origin.Seen, Is.Empty);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task PathForm_EncodedSlash_RefusedUnderPrefixVerbatimAtRoot(CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => ctx.Response.WriteAsync("ok", ctx.RequestAborted), "/prefix", cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;
        proxy.AddConnector("team", "gitlab", origin.BaseAddress.ToString(), Secrets.Basic("gitlab-creds", "gituser", "gitpass"));
        proxy.Reviews.Grant(User, "team", "gitlab");

        var underPrefix = await RawAsync(proxy.Address, $"GET /namespaces/team/connectors/git/a%2Fb HTTP/1.1\nHost: proxy\nAuthorization: Bearer {Token}\n", cancellationToken);
        var atRoot = await RawAsync(proxy.Address,
            $"GET /namespaces/team/connectors/gitlab/api/v4/projects/group%2Fproject?x=%2e%2e HTTP/1.1\nHost: proxy\nAuthorization: Bearer {Token}\n", cancellationToken);

        var seen = origin.Seen.ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(StatusOf(underPrefix), Is.EqualTo(400));
            Assert.That(StatusOf(atRoot), Is.EqualTo(200));
            Assert.That(seen, Has.Length.EqualTo(1));
            Assert.That(seen[0].RawTarget, Is.EqualTo("/api/v4/projects/group%2Fproject?x=%2e%2e"));
            Assert.That(seen[0].Headers["Authorization"], Is.EqualTo(Injected));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task PathForm_OrdinaryEscapes_ReachTheToolByteForByte(CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => ctx.Response.WriteAsync("ok", ctx.RequestAborted), "/prefix", cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;

        var response = await RawAsync(proxy.Address, $"GET /namespaces/team/connectors/git/a%41b/%7Euser/x.y?q=a%2Fb HTTP/1.1\nHost: proxy\nAuthorization: Bearer {Token}\n", cancellationToken);

        Assert.That(origin.Seen.TryPeek(out var seen), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(StatusOf(response), Is.EqualTo(200));
            Assert.That(seen!.RawTarget, Is.EqualTo("/prefix/a%41b/%7Euser/x.y?q=a%2Fb"));
        }
    }

    [TestCase("/prefix/../other")]
    [TestCase("/prefix/..%2Fother")]
    [TestCase("/prefix/%2e%2e/other")]
    [TestCase("/prefix/..\\other")]
    [Test, CancelAfter(20_000)]
    public async Task Forward_EscapeFromPrefix_400AndUpstreamGetsNothing(string path, CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => ctx.Response.WriteAsync("ok", ctx.RequestAborted), "/prefix", cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;

        var response = await RawAsync(proxy.Address,
            $"GET http://{origin.BaseAddress.Authority}{path} HTTP/1.1\nHost: {origin.BaseAddress.Authority}\nProxy-Authorization: {ProxyAuth}\n", cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(StatusOf(response), Is.EqualTo(400));
            Assert.That(origin.Seen, Is.Empty);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Forward_EncodedSlashUnderPrefixedAddress_400(CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => ctx.Response.WriteAsync("ok", ctx.RequestAborted), "/prefix", cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;

        var refused = await RawAsync(proxy.Address,
            $"GET http://{origin.BaseAddress.Authority}/prefix/a%2Fb HTTP/1.1\nHost: {origin.BaseAddress.Authority}\nProxy-Authorization: {ProxyAuth}\n", cancellationToken);
        await RawAsync(proxy.Address,
            $"GET http://{origin.BaseAddress.Authority}/prefix/a%41 HTTP/1.1\nHost: {origin.BaseAddress.Authority}\nProxy-Authorization: {ProxyAuth}\n", cancellationToken);

        var seen = origin.Seen.ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(StatusOf(refused), Is.EqualTo(400));
            Assert.That(seen, Has.Length.EqualTo(1));
            Assert.That(seen[0].RawTarget, Is.EqualTo("/prefix/a%41"));
            Assert.That(seen[0].Headers["Authorization"], Is.EqualTo(Injected));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Head_BareLineFeedInAHeaderLine_400AndUpstreamGetsNothing(CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => ctx.Response.WriteAsync("ok", ctx.RequestAborted), string.Empty, cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;
        using var client = new TcpClient();
        await client.ConnectAsync(proxy.Address.Host, proxy.Address.Port, cancellationToken);
        var stream = client.GetStream();

        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET /namespaces/team/connectors/git/x HTTP/1.1\r\nHost: proxy\r\nAuthorization: Bearer {Token}\r\nX-A: a\nX-Smuggled: 1\r\nConnection: close\r\n\r\n"), cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(StatusOf(response), Is.EqualTo(400));
            Assert.That(origin.Seen, Is.Empty);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Forward_UserinfoInTarget_400(CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => ctx.Response.WriteAsync("ok", ctx.RequestAborted), "/prefix", cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;

        var response = await RawAsync(proxy.Address,
            $"GET http://evil@{origin.BaseAddress.Authority}/prefix/x HTTP/1.1\nHost: {origin.BaseAddress.Authority}\nProxy-Authorization: {ProxyAuth}\n", cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(StatusOf(response), Is.EqualTo(400));
            Assert.That(origin.Seen, Is.Empty);
        }
    }

    [TestCase("TRACE", "GET /namespaces/team/connectors/git/x", false)]
    [TestCase("TRACK", "GET /namespaces/team/connectors/git/x", false)]
    [TestCase("TRACE", "GET /x", true)]
    [Test, CancelAfter(20_000)]
    public async Task EchoMethods_405AndNoCredentialEver(string method, string form, bool forward, CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(async ctx =>
        {
            // An origin that echoes the request, as RFC 9110 describes TRACE.
            ctx.Response.ContentType = "message/http";
            await ctx.Response.WriteAsync(string.Join('\n', ctx.Request.Headers.Select(h => $"{h.Key}: {h.Value}")), ctx.RequestAborted);
        }, string.Empty, cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;
        var target = forward ? $"http://{origin.BaseAddress.Authority}/x" : form[4..];
        var auth = forward ? $"Proxy-Authorization: {ProxyAuth}" : $"Authorization: Bearer {Token}";

        var response = await RawAsync(proxy.Address, $"{method} {target} HTTP/1.1\nHost: {origin.BaseAddress.Authority}\n{auth}\n", cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(StatusOf(response), Is.EqualTo(405));
            Assert.That(response, Does.Not.Contain(Injected[6..]));
            Assert.That(origin.Seen, Is.Empty);
        }
    }

    [TestCase("/namespaces/team/connectors/git/login", null, "sid=1; Path=/; Domain=example.com; HttpOnly", "sid=1; HttpOnly; Path=/namespaces/team/connectors/git/")]
    [TestCase("/namespaces/team/connectors/git/login", null, "a=b; path=/prefix/repo; secure", "a=b; secure; Path=/namespaces/team/connectors/git/repo")]
    [TestCase("/namespaces/team/connectors/git/login", null, "a=b", "a=b; Path=/namespaces/team/connectors/git/")]
    [TestCase("/namespaces/team/connectors/git/login", null, "a=b; Path=/other", "a=b; Path=/namespaces/team/connectors/git/")]
    [TestCase("/login", "c-git.team.svc", "a=b; Path=/prefix/x; Domain=.svc.cluster.local", "a=b; Path=/x")]
    [Test, CancelAfter(20_000)]
    public async Task Reverse_SetCookie_ScopedToTheConnector(string path, string? host, string cookie, string expected, CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx =>
        {
            ctx.Response.Headers.Append("Set-Cookie", cookie);
            ctx.Response.Headers.Append("Set-Cookie", "second=2; Path=/prefix");
            return Task.CompletedTask;
        }, "/prefix", cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(proxy.Address, path)) { Headers = { Authorization = new("Bearer", Token) } };
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await client.SendAsync(request, cancellationToken);

        var cookies = response.Headers.GetValues("Set-Cookie").ToArray();
        var root = host is null ? "/namespaces/team/connectors/git/" : "/";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(cookies, Is.EqualTo(new[] { expected, "second=2; Path=" + root }));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Metrics_RequestsForMadeUpConnectors_OneBoundedLabel(CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => ctx.Response.WriteAsync("ok", ctx.RequestAborted), string.Empty, cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;
        using var listener = new MetricLabels("Connectors.Proxy", "connector");
        using var client = new HttpClient();

        for (var i = 0; i < 200; i++)
        {
            using var refused = await client.GetAsync(new Uri(proxy.Address, $"/namespaces/n{i}/connectors/c{i}/x"), cancellationToken);
        }

        using var allowed = await client.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, new Uri(proxy.Address, "/namespaces/team/connectors/git/x")) { Headers = { Authorization = new("Bearer", Token) } }, cancellationToken);

        // Other fixtures may run alongside and add their own Connectors; none of the made-up ones may appear.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(listener.Values, Does.Contain("unknown").And.Contain("team/git"));
            Assert.That(listener.Values.Where(v => v.StartsWith('n') && v.Contains("/c", StringComparison.Ordinal)), Is.Empty);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Connect_OversizedHeadInOneWrite_431(CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => ctx.Response.WriteAsync("ok", ctx.RequestAborted), string.Empty, cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;
        var padding = new string('a', 100 * 1024);

        var response = await RawAsync(proxy.Address,
            $"CONNECT {origin.BaseAddress.Authority} HTTP/1.1\nHost: {origin.BaseAddress.Authority}\nProxy-Authorization: {ProxyAuth}\nX-Pad: {padding}\n", cancellationToken);

        Assert.That(StatusOf(response), Is.EqualTo(431));
    }

    [TestCase("GET /namespaces/team/connectors/git/x HTTP/1.1\r\nHost: proxy\r\nX-Slow: ")]
    [TestCase("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\nX-Slow: ")]
    [Test, CancelAfter(20_000)]
    public async Task Head_SentByteByByte_CutOffAtTheHeadTimeout(string start, CancellationToken cancellationToken)
    {
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken, new Dictionary<string, string?> { ["Proxy:HeadTimeout"] = "00:00:01" });
        using var client = new TcpClient();
        await client.ConnectAsync(proxy.Address.Host, proxy.Address.Port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(start), cancellationToken);

        // One byte every 200 ms: never a whole head. The proxy must close the connection (408 or a plain close).
        var closed = false;
        for (var i = 0; i < 40 && !closed; i++)
        {
            try
            {
                await stream.WriteAsync("a"u8.ToArray(), cancellationToken);
                await Task.Delay(200, cancellationToken);
                closed = client.Client.Poll(0, SelectMode.SelectRead) && (client.Available == 0 || await DrainAsync(stream, cancellationToken));
            }
            catch (IOException)
            {
                closed = true;
            }
        }

        Assert.That(closed, Is.True);
    }

    private static async Task<bool> DrainAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        // Kestrel answers 408 before closing; read it and see the close behind it.
        var buffer = new byte[4096];
        while (await stream.ReadAsync(buffer, cancellationToken) > 0)
        {
        }

        return true;
    }

    [Test, CancelAfter(30_000)]
    public async Task Reverse_ConnectorAddressLeadsBackToTheProxy_508AfterBoundedHops(CancellationToken cancellationToken)
    {
        // A tenant's Connector whose address is the proxy's own path form, with a Secret holding a token the proxy accepts
        // for that Connector: without a hop limit each pass forwards to the proxy again, one new connection per pass.
        var proxy = await ProxyHarness.StartAsync(cancellationToken);
        await using var _ = proxy;
        proxy.AddConnector("team", "loop", proxy.Address.ToString().TrimEnd('/') + "/namespaces/team/connectors/loop", Secrets.Bearer("loop-token", Token));
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "loop");

        var response = await RawAsync(proxy.Address, $"GET /namespaces/team/connectors/loop/api HTTP/1.1\nHost: proxy\nAuthorization: Bearer {Token}\n", cancellationToken);

        var passes = proxy.Logs.Split('\n').Count(line => line.Contains("\"Connector\":\"team/loop\"", StringComparison.Ordinal) && line.Contains("6001", StringComparison.Ordinal));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(StatusOf(response), Is.EqualTo(508));
            Assert.That(response, Does.Contain("loop"));
            Assert.That(passes, Is.InRange(2, 4));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Reverse_Forwarded_UpstreamSeesOneViaEntryAppended(CancellationToken cancellationToken)
    {
        var (proxy, origin) = await StartAsync(ctx => ctx.Response.WriteAsync("ok", ctx.RequestAborted), "/prefix", cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;

        var response = await RawAsync(proxy.Address, $"GET /namespaces/team/connectors/git/x HTTP/1.1\nHost: proxy\nVia: 1.0 corp-gateway\nAuthorization: Bearer {Token}\n", cancellationToken);

        var seen = origin.Seen.ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(StatusOf(response), Is.EqualTo(200));
            Assert.That(seen, Has.Length.EqualTo(1));
            Assert.That(seen[0].Headers["Via"], Is.EqualTo("1.0 corp-gateway, 1.1 connectors-proxy"));
        }
    }

    [TestCase(Connectors.Modules.Model.SecretTypes.GitLabPatAuth)]
    [TestCase(Connectors.Modules.Model.SecretTypes.BearerToken)]
    [CancelAfter(20_000)]
    public async Task Reverse_SecretValueWithLineBreak_502AndToolGetsNothing(string secretType, CancellationToken cancellationToken)
    {
        // Tools are shared between tenants: a Secret able to add header lines could split the request and leave a
        // response (or half a request) on a pooled connection another Connector's requests use next.
        var (proxy, origin) = await StartAsync(ctx => ctx.Response.WriteAsync("ok", ctx.RequestAborted), "/prefix", cancellationToken);
        await using var _ = proxy;
        await using var __ = origin;
        proxy.AddConnector("team", "lab", origin.BaseAddress.ToString().TrimEnd('/') + "/gl", Secrets.Of("lab-pat", secretType, ("token", "glpat-9\r\nX-Evil: 1")));
        proxy.Reviews.Grant(User, "team", "lab");

        var response = await RawAsync(proxy.Address, $"GET /namespaces/team/connectors/lab/api/v4/projects HTTP/1.1\nHost: proxy\nAuthorization: Bearer {Token}\n", cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(StatusOf(response), Is.EqualTo(502));
            Assert.That(response, Does.Not.Contain("glpat-9"));
            Assert.That(origin.Seen, Is.Empty);
        }
    }
}
