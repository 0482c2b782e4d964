using Connectors.Modules.Kube;
using Microsoft.Extensions.Time.Testing;

namespace Connectors.Tests.Kube;

[TestFixture]
public sealed class KubeRateLimiterTests
{
    [Test]
    public void Reserve_WithinBurst_DoesNotWait()
    {
        var limiter = new KubeRateLimiter(qps: 2, burst: 3, new FakeTimeProvider());
        var waits = Enumerable.Range(0, 3).Select(_ => limiter.Reserve()).ToList();
        Assert.That(waits, Is.All.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void Reserve_BeyondBurst_WaitsOneIntervalPerRequest()
    {
        var limiter = new KubeRateLimiter(qps: 2, burst: 3, new FakeTimeProvider());
        for (var i = 0; i < 3; i++)
        {
            limiter.Reserve();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(limiter.Reserve(), Is.EqualTo(TimeSpan.FromMilliseconds(500)));
            Assert.That(limiter.Reserve(), Is.EqualTo(TimeSpan.FromSeconds(1)));
        }
    }

    [Test]
    public void Reserve_AfterIdleTime_RefillsUpToBurstOnly()
    {
        var clock = new FakeTimeProvider();
        var limiter = new KubeRateLimiter(qps: 2, burst: 3, clock);
        for (var i = 0; i < 3; i++)
        {
            limiter.Reserve();
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        var waits = Enumerable.Range(0, 4).Select(_ => limiter.Reserve()).ToList();
        Assert.That(waits, Is.EqualTo(new[] { TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromMilliseconds(500) }));
    }

    [Test, CancelAfter(10_000)]
    public async Task TryWaitAsync_NextTokenBeyondTheLongestWait_FalseAtOnceAndTakesNoToken(CancellationToken cancellationToken)
    {
        var clock = new FakeTimeProvider();
        var limiter = new KubeRateLimiter(qps: 1, burst: 1, clock);
        var first = await limiter.TryWaitAsync(TimeSpan.Zero, cancellationToken);
        var refused = await limiter.TryWaitAsync(TimeSpan.FromMilliseconds(500), cancellationToken);
        clock.Advance(TimeSpan.FromSeconds(1));
        var afterRefill = await limiter.TryWaitAsync(TimeSpan.Zero, cancellationToken);
        Assert.That((first, refused, afterRefill), Is.EqualTo((true, false, true)), "the refused call took no token: one second refills the next");
    }

    [Test, CancelAfter(10_000)]
    public async Task TryWaitAsync_NextTokenWithinTheLongestWait_WaitsForIt(CancellationToken cancellationToken)
    {
        var clock = new FakeTimeProvider();
        var limiter = new KubeRateLimiter(qps: 4, burst: 1, clock);
        await limiter.TryWaitAsync(TimeSpan.Zero, cancellationToken);
        var second = limiter.TryWaitAsync(TimeSpan.FromSeconds(1), cancellationToken).AsTask();
        var earlyDone = second.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(250));
        var taken = await second.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        Assert.That((earlyDone, taken), Is.EqualTo((false, true)));
    }

    [Test, CancelAfter(10_000)]
    public async Task WaitAsync_BucketEmpty_CompletesOnlyWhenTheClockReachesTheNextToken(CancellationToken cancellationToken)
    {
        var clock = new FakeTimeProvider();
        var limiter = new KubeRateLimiter(qps: 4, burst: 1, clock);
        await limiter.WaitAsync(cancellationToken);
        var second = limiter.WaitAsync(cancellationToken).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(200));
        var earlyDone = second.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(50));
        await second.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        Assert.That(earlyDone, Is.False);
    }

    [Test, CancelAfter(10_000)]
    public async Task WaitAsync_ZeroQps_NeverWaits(CancellationToken cancellationToken)
    {
        var limiter = new KubeRateLimiter(qps: 0, burst: 1, new FakeTimeProvider());
        for (var i = 0; i < 100; i++)
        {
            await limiter.WaitAsync(cancellationToken);
        }

        Assert.That(limiter.Unlimited, Is.True);
    }
}
