using System.Text.Json.Nodes;
using Connectors.Modules.Embedded;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Embedded;

[TestFixture]
public sealed class WebhookCallerTests
{
    [Test, CancelAfter(20_000)]
    public async Task CallAsync_ClientCacheTurnsOverDuringACall_CallStillAnswered(CancellationToken cancellationToken)
    {
        var slowArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ToolServer.StartAsync(async ctx =>
        {
            if (ctx.Request.Path == "/slow")
            {
                slowArrived.TrySetResult();
                await release.Task.WaitAsync(ctx.RequestAborted);
            }

            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"u","allowed":true}}""", ctx.RequestAborted);
        }, cancellationToken);
        using var caller = new WebhookCaller();
        var port = server.BaseAddress.Port;
        var review = new JsonObject { ["kind"] = "AdmissionReview" };

        var slow = caller.CallAsync(new WebhookEndpoint(new Uri(server.BaseAddress, "/slow"), "127.0.0.1", port), "", review, TimeSpan.FromSeconds(15), cancellationToken);
        await slowArrived.Task.WaitAsync(cancellationToken);

        // Other webhooks (a CA bundle of its own each: base64 ignores the added white space) fill the client cache past its bound.
        for (var i = 1; i <= 70; i++)
        {
            var (fast, error) = await caller.CallAsync(new WebhookEndpoint(new Uri(server.BaseAddress, "/fast"), "127.0.0.1", port), new string(' ', i), review, TimeSpan.FromSeconds(15), cancellationToken);
            Assert.That(fast, Is.Not.Null, error);
        }

        release.TrySetResult();
        var (response, failure) = await slow;
        Assert.That(response?["allowed"]?.GetValue<bool>(), Is.True, failure);
    }

    [TestCase(true)]
    [TestCase(false)]
    [CancelAfter(20_000)]
    public async Task CallAsync_AnswerOverThreeMebibytes_IsAnErrorNotBuffered(bool chunked, CancellationToken cancellationToken)
    {
        // A webhook (compromised or broken) answering without end must not make the API server buffer it all.
        await using var server = await ToolServer.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            var block = new byte[64 * 1024];
            Array.Fill(block, (byte)' ');
            if (!chunked)
            {
                ctx.Response.ContentLength = 64L * block.Length;
            }

            for (var i = 0; i < 64; i++)
            {
                await ctx.Response.Body.WriteAsync(block, ctx.RequestAborted);
            }
        }, cancellationToken);
        using var caller = new WebhookCaller();

        var (response, error) = await caller.CallAsync(
            new WebhookEndpoint(new Uri(server.BaseAddress, "/big"), "127.0.0.1", server.BaseAddress.Port), "", new JsonObject { ["kind"] = "AdmissionReview" },
            TimeSpan.FromSeconds(15), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response, Is.Null);
            Assert.That(error, Does.EndWith("the answer is larger than 3 MiB"));
        }
    }
}
