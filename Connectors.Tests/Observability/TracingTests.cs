using System.Collections.Concurrent;
using System.Text;
using Connectors.Tests.Support;

namespace Connectors.Tests.Observability;

/// <summary><c>--otlp-endpoint</c>: the real executable sends its spans over OTLP/HTTP to a collector stand-in.</summary>
[TestFixture]
public sealed class TracingTests
{
    [Test, CancelAfter(90_000)]
    public async Task Run_OtlpEndpoint_ExportsReconcileAndPublishSpans(CancellationToken cancellationToken)
    {
        // The collector: OTLP/HTTP takes protobuf POSTs on /v1/traces; span names and string attributes are plain UTF-8
        // inside the message, which is all this test reads.
        var exports = new ConcurrentQueue<string>();
        await using var collector = await LoopbackOrigin.StartAsync(async ctx =>
        {
            using var body = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(body, ctx.RequestAborted);
            if (ctx.Request.Path == "/v1/traces" && ctx.Request.ContentType == "application/x-protobuf")
            {
                exports.Enqueue(Encoding.UTF8.GetString(body.ToArray()));
            }
        }, cancellationToken);
        using var directory = new TempDirectory();
        await using var process = ConnectorsProcess.Start(
            "run", "--role", "controller,csi-node", "--embedded", "--embedded-kubeconfig", directory.Combine("kubeconfig"),
            "--apply", TestData.Path("manifests", "connectorclasses"), "--apply", TestData.Path("examples", "quickstart"),
            "--health-listen", "127.0.0.1:0", "--csi-endpoint", "unix://" + directory.Combine("csi.sock"),
            "--otlp-endpoint", new Uri(collector.BaseAddress, "/v1/traces").ToString(), "--log-format", "json");
        while (!process.Stdout.Contains("connectors: ready", StringComparison.Ordinal))
        {
            Assert.That(process.HasExited, Is.False, process.Stderr);
            await Task.Delay(50, cancellationToken);
        }

        var (publish, _, _) = await ConnectorsProcess.RunAsync(
            ["csi", "publish", "--endpoint", "unix://" + directory.Combine("csi.sock"), "--target", directory.Combine("pod"), "--connector", "quickstart/none",
                "--pod-namespace", "quickstart", "--service-account", "builder"], cancellationToken);
        Assert.That(publish, Is.EqualTo(1));

        // The batch exporter sends every 5 s; SIGTERM flushes what is left.
        await Task.Delay(TimeSpan.FromSeconds(6), cancellationToken);
        process.Terminate();
        Assert.That(await process.WaitAsync(cancellationToken), Is.Zero, process.Stderr);
        var all = string.Concat(exports);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(all, Does.Contain("reconcile connector").And.Contain("quickstart/github"));
            Assert.That(all, Does.Contain("csi publish").And.Contain("quickstart/none").And.Contain("builder"));
            Assert.That(all, Does.Contain("connectors"), "service.name");
        }
    }
}
