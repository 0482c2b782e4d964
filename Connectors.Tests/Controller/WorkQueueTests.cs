using Connectors.Modules.Controller;
using Microsoft.Extensions.Time.Testing;

namespace Connectors.Tests.Controller;

[TestFixture]
public sealed class WorkQueueTests
{
    private static WorkQueue<string> NewQueue(FakeTimeProvider time) => new(time, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));

    [Test, CancelAfter(10_000)]
    public async Task Add_SameKeyTwice_QueuedOnce(CancellationToken cancellationToken)
    {
        using var queue = NewQueue(new FakeTimeProvider());
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");
        var (_, first) = await queue.GetAsync(cancellationToken);
        var (_, second) = await queue.GetAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.EqualTo("a"));
            Assert.That(second, Is.EqualTo("b"));
            Assert.That(queue.Count, Is.Zero);
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Add_WhileProcessing_RequeuedOnDoneNotHandedOutTwice(CancellationToken cancellationToken)
    {
        using var queue = NewQueue(new FakeTimeProvider());
        queue.Add("a");
        var (_, item) = await queue.GetAsync(cancellationToken);
        queue.Add("a");
        Assert.That(queue.Count, Is.Zero, "an item being processed is not queued again before Done");
        queue.Done(item);
        Assert.That(queue.Count, Is.EqualTo(1));
        var (ok, again) = await queue.GetAsync(cancellationToken);
        Assert.That((ok, again), Is.EqualTo((true, "a")));
    }

    [Test, CancelAfter(10_000)]
    public async Task AddAfter_BeforeDelay_NotQueuedThenQueued(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        using var queue = NewQueue(time);
        queue.AddAfter("a", TimeSpan.FromSeconds(5));
        queue.AddAfter("a", TimeSpan.FromSeconds(2));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(queue.Count, Is.Zero);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(queue.Count, Is.EqualTo(1), "the earlier due time wins");
        var (_, item) = await queue.GetAsync(cancellationToken);
        queue.Done(item);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.That(queue.Count, Is.Zero, "the replaced later timer does not fire");
    }

    [Test, CancelAfter(10_000)]
    public async Task AddRateLimited_RepeatedFailures_BackoffDoublesUntilCapAndForgetResets(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        using var queue = NewQueue(time);
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 9; i++)
        {
            var before = time.GetUtcNow();
            queue.AddRateLimited("a");
            var waited = TimeSpan.Zero;
            while (queue.Count == 0 && waited < TimeSpan.FromSeconds(2))
            {
                time.Advance(TimeSpan.FromMilliseconds(10));
                waited += TimeSpan.FromMilliseconds(10);
            }

            delays.Add(time.GetUtcNow() - before);
            _ = await queue.GetAsync(cancellationToken);
            queue.Done("a");
        }

        Assert.That(delays.Select(d => (int)d.TotalMilliseconds), Is.EqualTo(new List<int> { 10, 20, 40, 80, 160, 320, 640, 1000, 1000 }));
        queue.Forget("a");
        Assert.That(queue.Requeues("a"), Is.Zero);
    }

    [Test, CancelAfter(10_000)]
    public async Task ShutDown_WaitingWorker_ReturnsFalse(CancellationToken cancellationToken)
    {
        using var queue = NewQueue(new FakeTimeProvider());
        var waiting = queue.GetAsync(cancellationToken);
        queue.ShutDown();
        var (ok, _) = await waiting;
        Assert.That(ok, Is.False);
    }
}
