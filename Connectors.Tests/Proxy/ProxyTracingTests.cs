using System.Collections.Concurrent;
using System.Diagnostics;
using Connectors.Tests.Support;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Connectors.Tests.Proxy;

/// <summary>
/// W3C trace context through the proxy: untouched when nothing traces, continued (same trace, the proxy's span as the
/// parent) when a tracer listens. Not parallel: a tracer in this process sees every proxy's requests.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class ProxyTracingTests
{
    private const string Token = "sa-token-trace";
    private const string User = "system:serviceaccount:team:builder";
    private const string ClientTraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    [Test, CancelAfter(30_000)]
    public async Task Send_NoTracer_TraceHeadersReachTheToolUntouched(CancellationToken cancellationToken)
    {
        await using var origin = await LoopbackOrigin.StartAsync(_ => Task.CompletedTask, cancellationToken);
        await using var proxy = await StartProxyAsync(origin, cancellationToken);

        await SendAsync(proxy, cancellationToken);

        var seen = origin.Seen.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen.Headers["traceparent"], Is.EqualTo(ClientTraceParent));
            Assert.That(seen.Headers["tracestate"], Is.EqualTo("vendor=1"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Send_Tracer_RequestReviewAndForwardSpansContinueTheClientsTrace(CancellationToken cancellationToken)
    {
        var spans = new ConcurrentQueue<Activity>();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource("Connectors.Proxy").AddProcessor(new Collect(spans)).Build();
        await using var origin = await LoopbackOrigin.StartAsync(_ => Task.CompletedTask, cancellationToken);
        await using var proxy = await StartProxyAsync(origin, cancellationToken);

        await SendAsync(proxy, cancellationToken);

        var seen = origin.Seen.Single().Headers["traceparent"];
        var request = spans.Single(s => s.DisplayName == "proxy GET");
        var forward = spans.Single(s => s.DisplayName == "forward");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.TraceId.ToHexString(), Is.EqualTo("4bf92f3577b34da6a3ce929d0e0e4736"), "the client's trace");
            Assert.That(request.ParentSpanId.ToHexString(), Is.EqualTo("00f067aa0ba902b7"));
            Assert.That(spans.Single(s => s.DisplayName == "review").ParentSpanId, Is.EqualTo(request.SpanId));
            Assert.That(forward.ParentSpanId, Is.EqualTo(request.SpanId));
            Assert.That(seen, Is.EqualTo($"00-4bf92f3577b34da6a3ce929d0e0e4736-{forward.SpanId.ToHexString()}-01"), "the tool's parent is the forward span");
            Assert.That(request.GetTagItem("connectors.connector"), Is.EqualTo("team/tool"));
            Assert.That(request.GetTagItem("enduser.id"), Is.EqualTo(User));
            Assert.That(request.GetTagItem("http.response.status_code"), Is.EqualTo(200));
            Assert.That(spans.SelectMany(s => s.TagObjects).Select(t => t.Value?.ToString()), Has.None.Contains(Token));
        }
    }

    private static async Task SendAsync(ProxyHarness proxy, CancellationToken cancellationToken)
    {
        using var client = new HttpClient();
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(proxy.Address, "/namespaces/team/connectors/tool/x"))
        {
            Headers = { Authorization = new("Bearer", Token) },
        };
        message.Headers.TryAddWithoutValidation("traceparent", ClientTraceParent);
        message.Headers.TryAddWithoutValidation("tracestate", "vendor=1");
        using var response = await client.SendAsync(message, cancellationToken);
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
    }

    private static async Task<ProxyHarness> StartProxyAsync(LoopbackOrigin origin, CancellationToken cancellationToken)
    {
        var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.AddConnector("team", "tool", origin.BaseAddress.ToString(), Secrets.Basic("creds", "u", "p"), null, "auth");
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "tool");
        return proxy;
    }

    private sealed class Collect(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => spans.Enqueue(data);
    }
}
