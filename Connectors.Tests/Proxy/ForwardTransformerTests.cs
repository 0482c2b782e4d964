using System.Net;
using System.Net.WebSockets;
using System.Text;
using Connectors.Modules.Model;
using Connectors.Modules.Observability;
using Connectors.Modules.Proxy;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Proxy;

/// <summary>What YARP alone would not do: the transformer's and the sender's own rules, end to end through the proxy.</summary>
[TestFixture]
public sealed class ForwardTransformerTests
{
    private const string Token = "sa-token-yarp";
    private const string User = "system:serviceaccount:team:builder";
    private const string Path = "/namespaces/team/connectors/tool";

    private static async Task<ProxyHarness> StartProxyAsync(string address, Secret? secret, CancellationToken cancellationToken)
    {
        var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.AddConnector("team", "tool", address, secret);
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "tool");
        return proxy;
    }

    private static HttpRequestMessage Request(ProxyHarness proxy, HttpMethod method, string rest) => new(method, new Uri(proxy.Address, Path + rest))
    {
        Headers = { Authorization = new("Bearer", Token) },
    };

    [TestCase("keep-alive", new string[0])]
    [TestCase("close, Upgrade", new string[0])]
    [TestCase("keep-alive, X-Private ,,x-other", new[] { "X-Private", "x-other" })]
    [TestCase(" TE ", new[] { "TE" })]
    public void NextListed_ConnectionValue_FieldsBesidesTheOptions(string value, string[] expected)
    {
        var listed = new List<string>();
        var position = 0;
        while (ForwardTransformer.NextListed(value, ref position, out var field))
        {
            listed.Add(field.ToString());
        }

        Assert.That(listed, Is.EqualTo(expected));
    }

    [Test, CancelAfter(20_000)]
    public async Task Send_ConnectionListedFields_DroppedBothWays(CancellationToken cancellationToken)
    {
        await using var origin = await LoopbackOrigin.StartAsync(ctx =>
        {
            ctx.Response.Headers.Connection = "X-Hop";
            ctx.Response.Headers["X-Hop"] = "upstream-only";
            ctx.Response.Headers["X-Kept"] = "1";
            return Task.CompletedTask;
        }, cancellationToken);
        await using var proxy = await StartProxyAsync(origin.BaseAddress.ToString(), Secrets.Basic("creds", "u", "p"), cancellationToken);
        using var client = new HttpClient();
        using var request = Request(proxy, HttpMethod.Get, "/x");
        request.Headers.Connection.Add("X-Private");
        request.Headers.TryAddWithoutValidation("X-Private", "client-only");
        request.Headers.TryAddWithoutValidation("X-Public", "passed");

        using var response = await client.SendAsync(request, cancellationToken);

        var seen = origin.Seen.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(seen.Headers.ContainsKey("X-Private"), Is.False);
            Assert.That(seen.Headers["X-Public"], Is.EqualTo("passed"));
            Assert.That(response.Headers.Contains("X-Hop"), Is.False);
            Assert.That(response.Headers.GetValues("X-Kept"), Is.EqualTo(new[] { "1" }));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Send_SecretLacksItsKey_502AndNothingUpstream(CancellationToken cancellationToken)
    {
        await using var origin = await LoopbackOrigin.StartAsync(_ => Task.CompletedTask, cancellationToken);
        await using var proxy = await StartProxyAsync(origin.BaseAddress.ToString(), Secrets.Of("creds", SecretTypes.BasicAuth, ("username", "u")), cancellationToken);
        using var client = new HttpClient();

        using var response = await client.SendAsync(Request(proxy, HttpMethod.Get, "/x"), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(await response.Content.ReadAsStringAsync(cancellationToken), Does.Contain("credential of connector \"team/tool\" cannot be used").And.Contain("password"));
            Assert.That(origin.Seen, Is.Empty);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Send_UpstreamRefusesConnections_502NamingTheUpstream(CancellationToken cancellationToken)
    {
        var closed = FreePort.Next();
        await using var proxy = await StartProxyAsync($"http://127.0.0.1:{closed}", Secrets.Basic("creds", "u", "p"), cancellationToken);
        using var client = new HttpClient();

        using var response = await client.SendAsync(Request(proxy, HttpMethod.Get, "/x"), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(await response.Content.ReadAsStringAsync(cancellationToken), Does.StartWith($"connectors proxy: upstream 127.0.0.1:{closed}: "));
            Assert.That(proxy.Logs, Does.Contain("\"EventId\":{\"Id\":6004").And.Not.Contain(Token));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Send_TlsToolOffersHttp2_ForwardedOverHttp2(CancellationToken cancellationToken)
    {
        using var upstreamCa = new TestCertificates("upstream CA");
        await using var origin = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync(ctx.Request.Protocol, ctx.RequestAborted), cancellationToken, upstreamCa.Server());
        await using var proxy = await StartProxyAsync(origin.BaseAddress.ToString(), Secrets.Bearer("k8s-token", "cluster-token"), cancellationToken);
        proxy.Directory.Put(Secrets.Of("tool-ca", "Opaque", ("ca.crt", upstreamCa.CaPem)).WithNamespace("team"));
        proxy.Directory.GetConnector("team", "tool")!.Spec.CaCertSecretRef = new() { Name = "tool-ca" };
        await using var plain = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync(ctx.Request.Protocol, ctx.RequestAborted), cancellationToken);
        await using var plainProxy = await StartProxyAsync(plain.BaseAddress.ToString(), Secrets.Bearer("k8s-token", "cluster-token"), cancellationToken);
        using var client = new HttpClient();

        using var response = await client.SendAsync(Request(proxy, HttpMethod.Get, "/api"), cancellationToken);
        using var cleartext = await client.SendAsync(Request(plainProxy, HttpMethod.Get, "/api"), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await response.Content.ReadAsStringAsync(cancellationToken), Is.EqualTo("HTTP/2"));
            Assert.That(origin.Seen.Single().Headers["Authorization"], Is.EqualTo("Bearer cluster-token"));
            Assert.That(await cleartext.Content.ReadAsStringAsync(cancellationToken), Is.EqualTo("HTTP/1.1"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Send_BodiesAndWebSocket_BytesCountedPerConnector(CancellationToken cancellationToken)
    {
        await using var origin = await LoopbackOrigin.StartAsync(async ctx =>
        {
            if (ctx.WebSockets.IsWebSocketRequest)
            {
                using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[1024];
                var received = await socket.ReceiveAsync(buffer, ctx.RequestAborted);
                await socket.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Binary, true, ctx.RequestAborted);
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ctx.RequestAborted);
                return;
            }

            using var reader = new StreamReader(ctx.Request.Body);
            await ctx.Response.WriteAsync("got " + await reader.ReadToEndAsync(ctx.RequestAborted), ctx.RequestAborted);
        }, cancellationToken, configure: app => app.UseWebSockets());
        using var collector = new MetricsEndpoint();
        await using var proxy = await StartProxyAsync(origin.BaseAddress.ToString(), Secrets.Basic("creds", "u", "p"), cancellationToken);
        using var client = new HttpClient();
        using var post = Request(proxy, HttpMethod.Post, "/upload");
        post.Content = new StringContent("0123456789");

        using var posted = await client.SendAsync(post, cancellationToken);
        var answer = await posted.Content.ReadAsStringAsync(cancellationToken);
        var afterPost = await WaitForBytesAsync(collector, 10, 14, cancellationToken);
        using (var socket = new ClientWebSocket())
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + Token);
            await socket.ConnectAsync(new Uri($"ws://{proxy.Address.Authority}{Path}/ws"), cancellationToken);
            await socket.SendAsync(new byte[100], WebSocketMessageType.Binary, true, cancellationToken);
            var buffer = new byte[1024];
            await socket.ReceiveAsync(buffer, cancellationToken);
            await socket.ReceiveAsync(buffer, cancellationToken);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
        }

        // One 100-byte message each way plus the frames around it (masked from the client, close frames).
        var afterSocket = await WaitForBytesAsync(collector, afterPost.In + 100, afterPost.Out + 100, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer, Is.EqualTo("got 0123456789"));
            Assert.That(afterPost, Is.EqualTo((10.0, 14.0)));
            Assert.That(afterSocket.In - afterPost.In, Is.InRange(100, 140));
            Assert.That(afterSocket.Out - afterPost.Out, Is.InRange(100, 140));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Send_SpdyUpgrade_BytesPumpedBothWaysAfter101(CancellationToken cancellationToken)
    {
        // kubectl exec and port-forward ask for "Upgrade: SPDY/3.1"; after the 101 the connection is the tool's.
        await using var origin = await LoopbackOrigin.StartAsync(async ctx =>
        {
            ctx.Response.StatusCode = StatusCodes.Status101SwitchingProtocols;
            ctx.Response.Headers.Upgrade = "SPDY/3.1";
            ctx.Response.Headers["X-Stream-Protocol-Version"] = "v4.channel.k8s.io";
            await using var stream = await ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpUpgradeFeature>()!.UpgradeAsync();
            var buffer = new byte[5];
            await stream.ReadExactlyAsync(buffer, ctx.RequestAborted);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("echo:" + Encoding.ASCII.GetString(buffer)), ctx.RequestAborted);
        }, cancellationToken);
        await using var proxy = await StartProxyAsync(origin.BaseAddress.ToString(), Secrets.Bearer("k8s-token", "cluster-token"), cancellationToken);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(proxy.Address.Host, proxy.Address.Port, cancellationToken);
        var stream = tcp.GetStream();

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST {Path}/api/v1/namespaces/team/pods/p/exec?command=sh HTTP/1.1\r\nHost: proxy\r\n" +
            $"Authorization: Bearer {Token}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n"), cancellationToken);
        var head = await ReadHeadAsync(stream, cancellationToken);
        await stream.WriteAsync("hello"u8.ToArray(), cancellationToken);
        var echo = new byte[10];
        await stream.ReadExactlyAsync(echo, cancellationToken);

        var seen = origin.Seen.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(head, Does.StartWith("HTTP/1.1 101 ").And.Contain("Upgrade: SPDY/3.1").And.Contain("X-Stream-Protocol-Version: v4.channel.k8s.io"));
            Assert.That(Encoding.ASCII.GetString(echo), Is.EqualTo("echo:hello"));
            Assert.That(seen.Headers["Upgrade"], Is.EqualTo("SPDY/3.1"));
            Assert.That(seen.Headers["Authorization"], Is.EqualTo("Bearer cluster-token"));
        }
    }

    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            await stream.ReadExactlyAsync(one, cancellationToken);
            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    /// <summary>Waits until the Connector's body counters reach at least the given sizes (recorded when an exchange ends).</summary>
    private static async Task<(double In, double Out)> WaitForBytesAsync(MetricsEndpoint collector, double atLeastIn, double atLeastOut, CancellationToken cancellationToken)
    {
        while (true)
        {
            var families = PrometheusText.Parse(await collector.ScrapeAsync(cancellationToken));
            double Sum(string family) => families.TryGetValue(family, out var f) ? f.Samples.Where(s => s.Labels.GetValueOrDefault("connector") == "team/tool").Sum(s => s.Value) : 0;
            var (bytesIn, bytesOut) = (Sum("connectors_proxy_request_body_bytes_total"), Sum("connectors_proxy_response_body_bytes_total"));
            if (bytesIn >= atLeastIn && bytesOut >= atLeastOut)
            {
                return (bytesIn, bytesOut);
            }

            await Task.Delay(20, cancellationToken);
        }
    }
}
