using Connectors.Modules.Csi;
using Connectors.Modules.Observability;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Connectors.Tests.Csi;

[TestFixture]
[Platform("Linux")]
public sealed class IdleMemoryReleaserTests
{
    [Test, CancelAfter(10_000)]
    public async Task ExecuteAsync_ReadyAndSettled_ReleasesOnce(CancellationToken cancellationToken)
    {
        var check = new Check();
        var time = new FakeTimeProvider();
        using var metrics = new CsiMetrics();
        using var releaser = new IdleMemoryReleaser([check], metrics, Options.Create(new CsiOptions()), time, NullLogger<IdleMemoryReleaser>.Instance);
        await releaser.StartAsync(cancellationToken);

        for (var i = 0; i < 15; i++)
        {
            await Task.Delay(10, cancellationToken);
            time.Advance(IdleMemoryReleaser.Poll);
        }

        var whileNotReady = releaser.Done.IsCompleted;
        check.IsReady = true;
        var afterReady = TimeSpan.Zero;
        while (!releaser.Done.IsCompleted)
        {
            time.Advance(IdleMemoryReleaser.Poll);
            afterReady += IdleMemoryReleaser.Poll;
            await Task.WhenAny(releaser.Done, Task.Delay(10, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(whileNotReady, Is.False);
            Assert.That(afterReady, Is.GreaterThanOrEqualTo(IdleMemoryReleaser.Settle), "released only once settled");
            Assert.That(releaser.LastRelease, Is.Not.Null);
            Assert.That(releaser.LastRelease!.Value.Mappings, Is.GreaterThan(0), "the test host's own code is mapped from files");
            Assert.That(releaser.Releases, Is.EqualTo(1));
        }

        await releaser.StopAsync(cancellationToken);
    }

    [Test, CancelAfter(10_000)]
    public async Task ExecuteAsync_TurnedOff_NeverReleases(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        using var metrics = new CsiMetrics();
        using var releaser = new IdleMemoryReleaser(
            [new Check { IsReady = true }], metrics, Options.Create(new CsiOptions { ReleaseIdleMemory = false }), time, NullLogger<IdleMemoryReleaser>.Instance);
        await releaser.StartAsync(cancellationToken);
        await releaser.Done.WaitAsync(cancellationToken);
        Assert.That(releaser.LastRelease, Is.Null);
        await releaser.StopAsync(cancellationToken);
    }

    [Test, CancelAfter(10_000)]
    public async Task ExecuteAsync_VolumeCallsThenQuiet_ReleasesAgainBeforeThePeriod(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        using var metrics = new CsiMetrics();
        using var releaser = new IdleMemoryReleaser([new Check { IsReady = true }], metrics, Options.Create(new CsiOptions()), time, NullLogger<IdleMemoryReleaser>.Instance);
        await releaser.StartAsync(cancellationToken);
        _ = await AdvanceUntilAsync(time, () => releaser.Releases == 1, cancellationToken);

        metrics.Unpublished(Grpc.Core.StatusCode.OK);
        var waited = await AdvanceUntilAsync(time, () => releaser.Releases == 2, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(waited, Is.GreaterThanOrEqualTo(IdleMemoryReleaser.Quiet));
            Assert.That(waited, Is.LessThan(IdleMemoryReleaser.Period));
        }

        await releaser.StopAsync(cancellationToken);
    }

    [Test, CancelAfter(10_000)]
    public async Task ExecuteAsync_NoVolumeCalls_ReleasesAgainAfterThePeriod(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        using var metrics = new CsiMetrics();
        using var releaser = new IdleMemoryReleaser([new Check { IsReady = true }], metrics, Options.Create(new CsiOptions()), time, NullLogger<IdleMemoryReleaser>.Instance);
        await releaser.StartAsync(cancellationToken);
        _ = await AdvanceUntilAsync(time, () => releaser.Releases == 1, cancellationToken);

        var waited = await AdvanceUntilAsync(time, () => releaser.Releases == 2, cancellationToken);
        Assert.That(waited, Is.GreaterThanOrEqualTo(IdleMemoryReleaser.Period));
        await releaser.StopAsync(cancellationToken);
    }

    /// <summary>Moves fake time a second at a time, letting the releaser run between steps, until <paramref name="done"/>.</summary>
    /// <returns>How much fake time passed.</returns>
    private static async Task<TimeSpan> AdvanceUntilAsync(FakeTimeProvider time, Func<bool> done, CancellationToken cancellationToken)
    {
        var advanced = TimeSpan.Zero;
        while (!done())
        {
            time.Advance(IdleMemoryReleaser.Poll);
            advanced += IdleMemoryReleaser.Poll;
            await Task.Delay(2, cancellationToken);
        }

        return advanced;
    }

    private sealed class Check : IReadinessCheck
    {
        public string Name => "test";

        public bool IsReady { get; set; }
    }
}
