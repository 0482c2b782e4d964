using Connectors.Modules.Kube;

namespace Connectors.Tests.Kube;

[TestFixture]
public sealed class BackoffTests
{
    [Test]
    public void Next_Repeated_DoublesWithJitterUpToTheMaximum()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), new Random(7));
        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next()).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(delays[0], Is.InRange(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)));
            Assert.That(delays[1], Is.InRange(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)));
            Assert.That(delays[2], Is.InRange(TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800)));
            Assert.That(delays.Skip(4), Is.All.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(delays.Take(3).Distinct().Count(), Is.EqualTo(3));
        }
    }

    [Test]
    public void Reset_AfterGrowth_StartsAgainFromTheFirstStep()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), new Random(7));
        for (var i = 0; i < 5; i++)
        {
            backoff.Next();
        }

        backoff.Reset();
        Assert.That(backoff.Next(), Is.InRange(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)));
    }
}
