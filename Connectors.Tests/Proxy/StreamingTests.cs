using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Connectors.Modules.Model;
using Connectors.Modules.Observability;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Proxy;

[TestFixture]
public sealed class StreamingTests
{
    private const string Token = "sa-token-stream";
    private const string User = "system:serviceaccount:team:builder";

    private static async Task<ProxyHarness> StartProxyAsync(LoopbackOrigin origin, CancellationToken cancellationToken, Secret? secret = null, ConnectorClass? connectorClass = null)
    {
        var proxy = await ProxyHarness.StartAsync(cancellationToken);
        if (connectorClass is not null)
        {
            proxy.Directory.Put(connectorClass);
        }

        proxy.AddConnector("team", "tool", origin.BaseAddress.ToString(), secret ?? Secrets.Basic("creds", "u", "p"), connectorClass?.Metadata.Name, "auth");
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "tool");
        return proxy;
    }

    private static HttpRequestMessage Request(ProxyHarness proxy, HttpMethod method, string path) => new(method, new Uri(proxy.Address, "/namespaces/team/connectors/tool" + path))
    {
        Headers = { Authorization = new("Bearer", Token) },
    };

    [Test, CancelAfter(60_000)]
    public async Task Send_LargeBodiesBothWays_StreamedIntact(CancellationToken cancellationToken)
    {
        const long size = 64L * 1024 * 1024;
        await using var origin = await LoopbackOrigin.StartAsync(async ctx =>
        {
            if (HttpMethods.IsPost(ctx.Request.Method))
            {
                long total = 0;
                var buffer = new byte[81920];
                int read;
                while ((read = await ctx.Request.Body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
                {
                    total += read;
                }

                await ctx.Response.WriteAsync(total.ToString(System.Globalization.CultureInfo.InvariantCulture), ctx.RequestAborted);
                return;
            }

            var chunk = new byte[65536];
            Array.Fill(chunk, (byte)'x');
            for (long sent = 0; sent < size; sent += chunk.Length)
            {
                await ctx.Response.Body.WriteAsync(chunk, ctx.RequestAborted);
            }
        }, cancellationToken);
        await using var proxy = await StartProxyAsync(origin, cancellationToken);
        using var client = new HttpClient();

        using var upload = Request(proxy, HttpMethod.Post, "/upload");
        upload.Content = new StreamContent(new PatternStream(size));
        upload.Headers.ExpectContinue = true;
        using var uploaded = await client.SendAsync(upload, cancellationToken);
        using var download = await client.SendAsync(Request(proxy, HttpMethod.Get, "/download"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var body = await download.Content.ReadAsStreamAsync(cancellationToken);
        long received = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(65536);
        int n;
        while ((n = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            received += n;
        }

        ArrayPool<byte>.Shared.Return(buffer);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await uploaded.Content.ReadAsStringAsync(cancellationToken), Is.EqualTo(size.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(origin.Seen.First().Headers["Expect"], Is.EqualTo("100-continue"));
            Assert.That(download.Headers.TransferEncodingChunked, Is.True);
            Assert.That(received, Is.EqualTo(size));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Send_WebSocketUpgrade_PassesThroughBothWays(CancellationToken cancellationToken)
    {
        await using var origin = await LoopbackOrigin.StartAsync(async ctx =>
        {
            using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[1024];
            var received = await socket.ReceiveAsync(buffer, ctx.RequestAborted);
            await socket.SendAsync(Encoding.UTF8.GetBytes("echo:" + Encoding.UTF8.GetString(buffer, 0, received.Count)), WebSocketMessageType.Text, true, ctx.RequestAborted);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", ctx.RequestAborted);
        }, cancellationToken, configure: app => app.UseWebSockets());
        await using var proxy = await StartProxyAsync(origin, cancellationToken);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + Token);

        await socket.ConnectAsync(new Uri($"ws://{proxy.Address.Authority}/namespaces/team/connectors/tool/ws"), cancellationToken);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hi"), WebSocketMessageType.Text, true, cancellationToken);
        var buffer = new byte[1024];
        var reply = await socket.ReceiveAsync(buffer, cancellationToken);
        var close = await socket.ReceiveAsync(buffer, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Encoding.UTF8.GetString(buffer, 0, reply.Count), Is.EqualTo("echo:hi"));
            Assert.That(close.MessageType, Is.EqualTo(WebSocketMessageType.Close));
            Assert.That(origin.Seen.Single().Headers["Authorization"], Does.StartWith("Basic "));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Send_ClassExtractorHeader_TokenReadAndStrippedAndPatInjected(CancellationToken cancellationToken)
    {
        await using var origin = await LoopbackOrigin.StartAsync(ctx => Task.CompletedTask, cancellationToken);
        var gitlab = new ConnectorClass
        {
            Metadata = new ObjectMeta { Name = "gitlab" },
            Spec = new ConnectorClassSpec { Proxy = new ConnectorClassProxy { AuthExtractor = new AuthExtractor { Headers = ["Private-Token"] } } },
        };
        await using var proxy = await StartProxyAsync(origin, cancellationToken, Secrets.Of("pat", SecretTypes.GitLabPatAuth, ("token", "glpat-real")), gitlab);
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(proxy.Address, "/api/v4/projects"));
        request.Headers.Host = "c-tool.team.svc";
        request.Headers.TryAddWithoutValidation("private-token", Token);

        using var response = await client.SendAsync(request, cancellationToken);

        var seen = origin.Seen.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(seen.Headers["PRIVATE-TOKEN"], Is.EqualTo("glpat-real"));
            Assert.That(seen.Headers.Values, Has.None.Contains(Token));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Send_Requests_MetricsPerConnector(CancellationToken cancellationToken)
    {
        await using var origin = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync("12345", ctx.RequestAborted), cancellationToken);
        using var metrics = new MetricsEndpoint();
        await using var proxy = await StartProxyAsync(origin, cancellationToken);
        using var client = new HttpClient();

        (await client.SendAsync(Request(proxy, HttpMethod.Get, "/a"), cancellationToken)).Dispose();
        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(proxy.Address, "/namespaces/team/connectors/tool/a")), cancellationToken)).Dispose();
        var families = PrometheusText.Parse(await metrics.ScrapeAsync(cancellationToken));

        double Sample(string family, string label, string value) =>
            families[family].Samples.Where(s => s.Labels.GetValueOrDefault("connector") == "team/tool" && s.Labels.GetValueOrDefault(label) == value).Sum(s => s.Value);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Sample("connectors_proxy_requests_total", "code", "2xx"), Is.EqualTo(1));
            Assert.That(Sample("connectors_proxy_requests_total", "code", "4xx"), Is.EqualTo(1));
            Assert.That(Sample("connectors_proxy_auth_failures_total", "reason", "missing"), Is.EqualTo(1));
            Assert.That(families["connectors_proxy_response_body_bytes_total"].Samples.Single(s => s.Labels["connector"] == "team/tool").Value, Is.EqualTo(5));
            Assert.That(families, Does.ContainKey("connectors_proxy_request_duration_seconds"));
        }
    }

    /// <summary>A read-only stream of <c>length</c> bytes that never holds more than one buffer.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)'y');
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
