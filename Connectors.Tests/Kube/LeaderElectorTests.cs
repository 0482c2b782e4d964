using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Connectors.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Tests.Kube;

/// <summary>Leader election on a Lease in the embedded API.</summary>
[TestFixture]
public sealed class LeaderElectorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test, CancelAfter(30_000)]
    public async Task RunAsync_TwoInstances_OneLeadsAndTheOtherTakesOverWhenItStops(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var client = EmbeddedKube.Admin(api);
        await client.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "connectors-system" } }, cancellationToken);
        var first = NewElector(client, "first");
        var second = NewElector(client, "second");
        using var stopFirst = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopSecond = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var firstWork = new Work();
        var runningFirst = first.RunAsync(firstWork.RunAsync, stopFirst.Token);
        await EmbeddedKube.EventuallyAsync(() => first.IsLeader, Wait, cancellationToken);
        var secondWork = new Work();
        var runningSecond = second.RunAsync(secondWork.RunAsync, stopSecond.Token);
        var bothLed = await EmbeddedKube.EventuallyAsync(() => first.IsLeader && second.IsLeader, TimeSpan.FromSeconds(1), cancellationToken);

        await stopFirst.CancelAsync();
        await runningFirst;
        var started = DateTime.UtcNow;
        var tookOver = await EmbeddedKube.EventuallyAsync(() => second.IsLeader, Wait, cancellationToken);
        var handover = DateTime.UtcNow - started;
        var lease = (await client.GetAsync<Lease>("connectors-system", "test-lease", cancellationToken)).Value;
        await stopSecond.CancelAsync();
        await runningSecond;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(bothLed, Is.False);
            Assert.That(firstWork.Started && firstWork.Stopped, Is.True);
            Assert.That(tookOver, Is.True);
            Assert.That(handover, Is.LessThan(TimeSpan.FromSeconds(3.5)), "released lease is taken before it would expire (4 s)");
            Assert.That(lease?.Spec?.HolderIdentity, Is.EqualTo("second"));
            Assert.That(lease?.Spec?.LeaseTransitions, Is.EqualTo(1));
            Assert.That(secondWork.Stopped, Is.True);
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task RunAsync_LeaseTakenByAnotherHolder_StopsWorkPromptly(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var client = EmbeddedKube.Admin(api);
        await client.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "connectors-system" } }, cancellationToken);
        var elector = NewElector(client, "leader");
        var work = new Work();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = elector.RunAsync(work.RunAsync, stop.Token);
        await EmbeddedKube.EventuallyAsync(() => work.Started, Wait, cancellationToken);
        var lease = (await client.GetAsync<Lease>("connectors-system", "test-lease", cancellationToken)).Value!;
        lease.Spec = new LeaseSpec { HolderIdentity = "intruder", LeaseDurationSeconds = 60, RenewTime = DateTimeOffset.UtcNow, AcquireTime = DateTimeOffset.UtcNow };
        var taken = await client.UpdateAsync(lease, cancellationToken);
        var started = DateTime.UtcNow;
        var stopped = await EmbeddedKube.EventuallyAsync(() => work.Stopped, Wait, cancellationToken);
        var reaction = DateTime.UtcNow - started;
        var retaken = await EmbeddedKube.EventuallyAsync(() => elector.IsLeader, TimeSpan.FromSeconds(1), cancellationToken);
        await stop.CancelAsync();
        await running;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(taken.IsOk, Is.True, taken.Message);
            Assert.That(stopped, Is.True);
            Assert.That(reaction, Is.LessThan(TimeSpan.FromSeconds(2)), "the next renewal (every 0.2 s) sees the other holder");
            Assert.That(retaken, Is.False);
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task RunAsync_ApiUnreachable_StopsWorkWithinRenewDeadline(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await using var proxy = TcpFaultProxy.Start(api.BaseUrl);
        using var dir = new TempDirectory();
        using var client = EmbeddedKube.ThroughProxy(api, proxy, dir);
        await client.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "connectors-system" } }, cancellationToken);
        var elector = NewElector(client, "leader");
        var work = new Work();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = elector.RunAsync(work.RunAsync, stop.Token);
        await EmbeddedKube.EventuallyAsync(() => work.Started, Wait, cancellationToken);
        proxy.Block();
        var started = DateTime.UtcNow;
        var stopped = await EmbeddedKube.EventuallyAsync(() => work.Stopped, Wait, cancellationToken);
        var reaction = DateTime.UtcNow - started;
        await stop.CancelAsync();
        await running;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stopped, Is.True);
            Assert.That(elector.IsLeader, Is.False);
            Assert.That(reaction, Is.LessThan(TimeSpan.FromSeconds(3.5)), "renew deadline is 1.5 s, lease duration 4 s");
        }
    }

    private static LeaderElector NewElector(KubeClient client, string identity) => new(
        client,
        new LeaderElectionOptions
        {
            LeaseName = "test-lease",
            LeaseNamespace = "connectors-system",
            Identity = identity,
            LeaseDuration = TimeSpan.FromSeconds(4),
            RenewDeadline = TimeSpan.FromSeconds(1.5),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        },
        TimeProvider.System,
        NullLogger.Instance);

    /// <summary>Leader work that runs until its token is cancelled, and records that it started and stopped.</summary>
    private sealed class Work
    {
        private volatile bool _started;
        private volatile bool _stopped;

        public bool Started => _started;

        public bool Stopped => _stopped;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            _started = true;
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                _stopped = true;
            }
        }
    }
}
