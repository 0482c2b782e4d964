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
        using var releaser = new IdleMemoryReleaser([check], Options.Create(new CsiOptions()), time, NullLogger<IdleMemoryReleaser>.Instance);
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
        }

        await releaser.StopAsync(cancellationToken);
    }

    [Test, CancelAfter(10_000)]
    public async Task ExecuteAsync_TurnedOff_NeverReleases(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        using var releaser = new IdleMemoryReleaser(
            [new Check { IsReady = true }], Options.Create(new CsiOptions { ReleaseIdleMemory = false }), time, NullLogger<IdleMemoryReleaser>.Instance);
        await releaser.StartAsync(cancellationToken);
        await releaser.Done.WaitAsync(cancellationToken);
        Assert.That(releaser.LastRelease, Is.Null);
        await releaser.StopAsync(cancellationToken);
    }

    private sealed class Check : IReadinessCheck
    {
        public string Name => "test";

        public bool IsReady { get; set; }
    }
}
