using System.Net;
using Connectors.Modules.Observability;
using Connectors.Modules.Proxy;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Connectors.Tests.Proxy;

/// <summary>
/// Large sized response bodies are copied by the proxy itself straight into the client's pipe (<see cref="DirectBodyCopy"/>);
/// everything else stays on YARP's copy loop. Event 6007 (debug) says which way a body went.
/// </summary>
[TestFixture]
public sealed class DirectBodyCopyTests
{
    private const string Token = "sa-token-direct";
    private const string User = "system:serviceaccount:team:builder";
    private const string Path = "/namespaces/team/connectors/tool";
    private const string CopiedDirectly = "\"EventId\":{\"Id\":6007";

    private static async Task<ProxyHarness> StartProxyAsync(string address, CancellationToken cancellationToken)
    {
        var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.AddConnector("team", "tool", address, Secrets.Bearer("k8s-token", "cluster-token"));
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "tool");
        return proxy;
    }

    private static HttpRequestMessage Request(ProxyHarness proxy, HttpMethod method, string rest) => new(method, new Uri(proxy.Address, Path + rest))
    {
        Headers = { Authorization = new("Bearer", Token) },
    };

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Writes <paramref name="length"/> bytes of a position-dependent pattern, so a lost or repeated chunk shows.</summary>
    private static async Task WritePatternAsync(HttpResponse response, long length, CancellationToken cancellationToken)
    {
        var chunk = new byte[100_003];
        for (long sent = 0; sent < length;)
        {
            var n = (int)Math.Min(chunk.Length, length - sent);
            for (var i = 0; i < n; i++)
            {
                chunk[i] = Pattern(sent + i);
            }

            await response.Body.WriteAsync(chunk.AsMemory(0, n), cancellationToken);
            sent += n;
        }
    }

    private static byte Pattern(long position) => (byte)(position % 251);

    /// <summary>Reads the whole body, checking every byte against the pattern; returns the count.</summary>
    private static async Task<long> ReadPatternAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[65536];
        long received = 0;
        int n;
        while ((n = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                if (buffer[i] != Pattern(received + i))
                {
                    throw new AssertionException($"byte {received + i} is {buffer[i]}, expected {Pattern(received + i)}");
                }
            }

            received += n;
        }

        return received;
    }

    [Test, CancelAfter(60_000)]
    public async Task Send_LargeSizedBody_CopiedDirectlyWithExactByteCounts(CancellationToken cancellationToken)
    {
        const long size = 3 * DirectBodyCopy.Threshold + 12_345;
        await using var origin = await LoopbackOrigin.StartAsync(async ctx =>
        {
            ctx.Response.ContentLength = size;
            ctx.Response.Headers["X-Tool"] = "kept";
            await WritePatternAsync(ctx.Response, size, ctx.RequestAborted);
        }, cancellationToken);
        using var collector = new MetricsEndpoint();
        await using var proxy = await StartProxyAsync(origin.BaseAddress.ToString(), cancellationToken);
        using var client = new HttpClient();

        using var response = await client.SendAsync(Request(proxy, HttpMethod.Get, "/big"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var received = await ReadPatternAsync(response, cancellationToken);
        var bytesOut = await WaitForResponseBytesAsync(collector, size, cancellationToken);

        var logs = proxy.Logs;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(size));
            Assert.That(response.Headers.GetValues("X-Tool"), Is.EqualTo(new[] { "kept" }));
            Assert.That(received, Is.EqualTo(size));
            Assert.That(bytesOut, Is.EqualTo(size));
            Assert.That(logs, Does.Contain(CopiedDirectly).And.Contain($"\"Bytes\":{size}"));
            Assert.That(logs, Does.Contain($"\"BytesOut\":{size}"));
            Assert.That(origin.Seen.Single().Headers["Authorization"], Is.EqualTo("Bearer cluster-token"));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Send_UpstreamBreaksMidBody_ClientConnectionAborted(CancellationToken cancellationToken)
    {
        const long promised = 4 * DirectBodyCopy.Threshold;
        await using var origin = await LoopbackOrigin.StartAsync(async ctx =>
        {
            ctx.Response.ContentLength = promised;
            await WritePatternAsync(ctx.Response, DirectBodyCopy.Threshold, ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            await Task.Delay(200, ctx.RequestAborted);
            ctx.Abort();
        }, cancellationToken);
        await using var proxy = await StartProxyAsync(origin.BaseAddress.ToString(), cancellationToken);
        using var client = new HttpClient();

        using var response = await client.SendAsync(Request(proxy, HttpMethod.Get, "/big"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var read = ReadPatternAsync(response, cancellationToken);

        // The client must not take a cut-short body for a complete one: its connection is cut, as YARP does.
        Assert.That(async () => await read, Throws.InstanceOf<IOException>());
        Assert.That(() => proxy.Logs, Does.Contain("\"EventId\":{\"Id\":6001").After(10_000, 50));
        var logs = proxy.Logs;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(logs, Does.Contain(CopiedDirectly));
            Assert.That(logs, Does.Contain("\"EventId\":{\"Id\":6004").And.Contain("ResponseBodyDestination"));
            Assert.That(logs, Does.Not.Contain($"\"BytesOut\":{promised}"));
        }
    }

    [TestCase(ForwarderError.ResponseBodyDestination, false)]
    [TestCase(ForwarderError.RequestBodyDestination, false)]
    [TestCase(ForwarderError.UpgradeResponseDestination, false)]
    [TestCase(ForwarderError.ResponseBodyClient, true)]
    [TestCase(ForwarderError.RequestCanceled, true)]
    public void ClientWentAway_AbortedRequest_OnlyClientSideErrorsAre499(ForwarderError error, bool expected)
    {
        // YARP aborts the client's connection when the tool breaks off, so RequestAborted is cancelled either way.
        var context = new DefaultHttpContext { RequestAborted = new CancellationToken(canceled: true) };
        Assert.That(UpstreamSender.ClientWentAway(context, error), Is.EqualTo(expected));
    }

    [Test, CancelAfter(60_000)]
    public async Task Send_UpstreamBreaksMidSmallBody_LoggedAsTheToolsFailureNot499(CancellationToken cancellationToken)
    {
        // Below the threshold the body is YARP's to copy; when the tool breaks off, YARP aborts the client as well, and
        // the log must still blame the tool (event 6004, the started status), not a client that left (499).
        const long promised = DirectBodyCopy.Threshold / 2;
        await using var origin = await LoopbackOrigin.StartAsync(async ctx =>
        {
            ctx.Response.ContentLength = promised;
            await WritePatternAsync(ctx.Response, promised / 4, ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            await Task.Delay(200, ctx.RequestAborted);
            ctx.Abort();
        }, cancellationToken);
        await using var proxy = await StartProxyAsync(origin.BaseAddress.ToString(), cancellationToken);
        using var client = new HttpClient();

        // Which comes first, YARP's error or the abort's cancellation of RequestAborted, is a race: several rounds.
        const int rounds = 8;
        for (var i = 0; i < rounds; i++)
        {
            using var response = await client.SendAsync(Request(proxy, HttpMethod.Get, "/small"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            Assert.That(async () => await ReadPatternAsync(response, cancellationToken), Throws.InstanceOf<IOException>());
        }

        Assert.That(() => CountOf(proxy.Logs, "\"EventId\":{\"Id\":6001"), Is.EqualTo(rounds).After(10_000, 50));
        var logs = proxy.Logs;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(logs, Does.Not.Contain(CopiedDirectly));
            Assert.That(CountOf(logs, "\"EventId\":{\"Id\":6004"), Is.EqualTo(rounds));
            Assert.That(CountOf(logs, "\"Status\":200"), Is.EqualTo(rounds));
            Assert.That(logs, Does.Not.Contain("\"Status\":499"));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Send_ClientLeavesMidBody_UpstreamReadStopsAnd499Logged(CancellationToken cancellationToken)
    {
        // The tool is a raw socket: what it sends is what the kernel took, and the proxy closing the connection fails its
        // next send. (A Kestrel tool is no witness: once its connection breaks under a write, it drops the rest of the
        // body's writes without failing them and sometimes without cancelling RequestAborted, so its handler just ends.)
        const long bodyLength = 1024 * DirectBodyCopy.Threshold;
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var tool = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(cancellationToken);
            var head = new byte[8192];
            var received = 0;
            while (!System.Text.Encoding.ASCII.GetString(head, 0, received).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                received += await socket.ReceiveAsync(head.AsMemory(received), cancellationToken);
            }

            await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {bodyLength}\r\n\r\n"), cancellationToken);
            var chunk = new byte[64 * 1024];
            long sent = 0;
            try
            {
                while (sent < bodyLength)
                {
                    sent += await socket.SendAsync(chunk, cancellationToken);
                }
            }
            catch (System.Net.Sockets.SocketException)
            {
                return (Closed: true, Sent: sent);
            }

            return (Closed: false, Sent: sent);
        }, cancellationToken);
        await using var proxy = await StartProxyAsync($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/", cancellationToken);

        using (var client = new HttpClient())
        {
            using var response = await client.SendAsync(Request(proxy, HttpMethod.Get, "/huge"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await body.ReadExactlyAsync(new byte[DirectBodyCopy.Threshold], cancellationToken);
        }

        var ended = await Task.WhenAny(tool, Task.Delay(TimeSpan.FromSeconds(30), cancellationToken)) == tool;
        Assert.That(ended, Is.True, () => "the tool's connection stayed open after the client left:\n" + proxy.Logs);
        var (closed, sent) = await tool;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(closed, Is.True, $"the proxy read the whole body ({sent} bytes) after the client left");
            Assert.That(sent, Is.LessThan(64 * DirectBodyCopy.Threshold), "the proxy stopped reading within its buffers");
            Assert.That(() => proxy.Logs, Does.Contain(CopiedDirectly).And.Contain("\"Status\":499").After(10_000, 50));
        }
    }

    [TestCase("HEAD")]
    [TestCase("POST")]
    [TestCase("chunked")]
    [TestCase("small")]
    [CancelAfter(60_000)]
    public async Task Send_BodyNotForTheDirectCopy_LeftToYarp(string kind, CancellationToken cancellationToken)
    {
        const long size = 2 * DirectBodyCopy.Threshold;
        await using var origin = await LoopbackOrigin.StartAsync(async ctx =>
        {
            var length = kind == "small" ? DirectBodyCopy.Threshold - 1 : size;
            if (kind != "chunked")
            {
                ctx.Response.ContentLength = length;
            }

            if (!HttpMethods.IsHead(ctx.Request.Method))
            {
                await WritePatternAsync(ctx.Response, length, ctx.RequestAborted);
            }
        }, cancellationToken);
        await using var proxy = await StartProxyAsync(origin.BaseAddress.ToString(), cancellationToken);
        using var client = new HttpClient();
        using var request = Request(proxy, kind switch { "HEAD" => HttpMethod.Head, "POST" => HttpMethod.Post, _ => HttpMethod.Get }, "/big");
        if (kind == "POST")
        {
            request.Content = new StringContent("a request body");
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var received = await ReadPatternAsync(response, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(received, Is.EqualTo(kind switch { "HEAD" => 0, "small" => DirectBodyCopy.Threshold - 1, _ => size }));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(kind switch { "chunked" => (long?)null, "small" => DirectBodyCopy.Threshold - 1, _ => size }));
            Assert.That(() => proxy.Logs, Does.Contain("\"EventId\":{\"Id\":6001").After(10_000, 50));
            Assert.That(proxy.Logs, Does.Not.Contain(CopiedDirectly));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Send_Http2Tool_LeftToYarp(CancellationToken cancellationToken)
    {
        const long size = 2 * DirectBodyCopy.Threshold;
        using var upstreamCa = new TestCertificates("upstream CA");
        await using var origin = await LoopbackOrigin.StartAsync(async ctx =>
        {
            // HTTP/2 can carry trailers after any body, so its bodies always stay on YARP's copy loop.
            ctx.Response.ContentLength = size;
            ctx.Response.Headers["X-Protocol"] = ctx.Request.Protocol;
            await WritePatternAsync(ctx.Response, size, ctx.RequestAborted);
        }, cancellationToken, upstreamCa.Server());
        await using var proxy = await StartProxyAsync(origin.BaseAddress.ToString(), cancellationToken);
        proxy.Directory.Put(Secrets.Of("tool-ca", "Opaque", ("ca.crt", upstreamCa.CaPem)).WithNamespace("team"));
        proxy.Directory.GetConnector("team", "tool")!.Spec.CaCertSecretRef = new() { Name = "tool-ca" };
        using var client = new HttpClient();

        using var response = await client.SendAsync(Request(proxy, HttpMethod.Get, "/big"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var received = await ReadPatternAsync(response, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Headers.GetValues("X-Protocol"), Is.EqualTo(new[] { "HTTP/2" }));
            Assert.That(received, Is.EqualTo(size));
            Assert.That(() => proxy.Logs, Does.Contain("\"EventId\":{\"Id\":6001").After(10_000, 50));
            Assert.That(proxy.Logs, Does.Not.Contain(CopiedDirectly));
        }
    }

    /// <summary>Waits until the Connector's response body counter reaches at least <paramref name="atLeast"/>.</summary>
    private static async Task<double> WaitForResponseBytesAsync(MetricsEndpoint collector, double atLeast, CancellationToken cancellationToken)
    {
        while (true)
        {
            var families = PrometheusText.Parse(await collector.ScrapeAsync(cancellationToken));
            var bytes = families.TryGetValue("connectors_proxy_response_body_bytes_total", out var f)
                ? f.Samples.Where(s => s.Labels.GetValueOrDefault("connector") == "team/tool").Sum(s => s.Value)
                : 0;
            if (bytes >= atLeast)
            {
                return bytes;
            }

            await Task.Delay(20, cancellationToken);
        }
    }
}
