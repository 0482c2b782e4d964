using Connectors.Modules.Controller;
using Connectors.Modules.Model;
using Connectors.Modules.Probes;
using Connectors.Modules.Templates;
using Connectors.Tests.Probes;
using Connectors.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Tests.Controller;

[TestFixture]
public sealed class ReconcileLoopTests
{
    private sealed class FlakyReconciler(int failures) : IReconciler<Connector>
    {
        public int Calls;

        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            return Interlocked.Increment(ref Calls) <= failures
                ? throw new InvalidOperationException("API unavailable")
                : Task.FromResult(ReconcileResult.Done);
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task RunAsync_ReconcileThrows_RetriedWithBackoffUntilSuccess(CancellationToken cancellationToken)
    {
        var options = new ControllerOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10), RetryMaxDelay = TimeSpan.FromMilliseconds(100) };
        using var metrics = new ControllerMetrics();
        var reconciler = new FlakyReconciler(failures: 3);
        using var loop = new ReconcileLoop<Connector>("connector", reconciler, options, metrics, TimeProvider.System, NullLogger.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = loop.RunAsync(2, stop.Token);
        loop.Queue.Add(new ObjectKey("ns", "c"));
        while (Volatile.Read(ref reconciler.Calls) < 4)
        {
            await Task.Delay(10, cancellationToken);
        }

        await Task.Delay(200, cancellationToken);
        await stop.CancelAsync();
        await running;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reconciler.Calls, Is.EqualTo(4), "three failures, one success, then no more (Done asks for no requeue)");
            Assert.That(loop.Queue.Requeues(new ObjectKey("ns", "c")), Is.Zero, "a success forgets the backoff");
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task LivenessAsync_ManyAtOnce_ProbesBoundedByConcurrency(CancellationToken cancellationToken)
    {
        var inFlight = 0;
        var peak = 0;
        await using var tool = await ToolServer.StartAsync(async _ =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Delay(100, CancellationToken.None);
            Interlocked.Decrement(ref inFlight);
        }, null, cancellationToken);
        using var metrics = new ControllerMetrics();
        using var prober = new ConnectorProber(HttpProbeTests.NewProbe(), new ProbeBuilder(new TemplateEngine()), metrics, new ControllerOptions { ProbeConcurrency = 3 });
        var connectorClass = Fixtures.GitClass();
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            prober.LivenessAsync(Fixtures.GitConnector("ns", $"c{i}", tool.BaseAddress.ToString()), connectorClass, null, null, cancellationToken)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.All(r => r.IsTrue), Is.True);
            Assert.That(peak, Is.InRange(1, 3));
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
