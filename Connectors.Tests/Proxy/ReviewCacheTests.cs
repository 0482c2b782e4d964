using Connectors.Modules.Proxy;
using Connectors.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Connectors.Tests.Proxy;

[TestFixture]
public sealed class ReviewCacheTests
{
    [Test, CancelAfter(10_000)]
    public async Task GetOrReviewAsync_ConcurrentSameKey_OneReview(CancellationToken cancellationToken)
    {
        var cache = new ReviewCache<string, int>(100, new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        var calls = 0;
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var waiters = Enumerable.Range(0, 50).Select(_ => cache.GetOrReviewAsync("k", 0, _ =>
        {
            Interlocked.Increment(ref calls);
            return gate.Task;
        }, _ => TimeSpan.FromMinutes(1), cancellationToken).AsTask()).ToArray();
        gate.SetResult(7);
        var results = await Task.WhenAll(waiters);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(calls, Is.EqualTo(1));
            Assert.That(results, Is.All.EqualTo(7));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task GetOrReviewAsync_AfterTtl_ReviewsAgainAndZeroTtlNotKept(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var cache = new ReviewCache<string, int>(100, time);
        var calls = 0;
        Task<int> Review(int value)
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(value);
        }

        await cache.GetOrReviewAsync("allow", 1, Review, _ => TimeSpan.FromMinutes(2), cancellationToken);
        time.Advance(TimeSpan.FromSeconds(119));
        await cache.GetOrReviewAsync("allow", 1, Review, _ => TimeSpan.FromMinutes(2), cancellationToken);
        var beforeExpiry = calls;
        time.Advance(TimeSpan.FromSeconds(2));
        await cache.GetOrReviewAsync("allow", 1, Review, _ => TimeSpan.FromMinutes(2), cancellationToken);
        await cache.GetOrReviewAsync("failed", 2, Review, _ => TimeSpan.Zero, cancellationToken);
        await cache.GetOrReviewAsync("failed", 2, Review, _ => TimeSpan.Zero, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(beforeExpiry, Is.EqualTo(1));
            Assert.That(calls, Is.EqualTo(4));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task GetOrReviewAsync_FloodOfDenials_AllowedEntriesStay(CancellationToken cancellationToken)
    {
        var cache = new ReviewCache<string, bool>(100, TimeProvider.System, static allowed => allowed);
        for (var i = 0; i < 50; i++)
        {
            await cache.GetOrReviewAsync("good-" + i, 0, static _ => Task.FromResult(true), static _ => TimeSpan.FromMinutes(2), cancellationToken);
        }

        var reviewed = 0;
        for (var i = 0; i < 1000; i++)
        {
            await cache.GetOrReviewAsync("bad-" + i, 0, static _ => Task.FromResult(false), static _ => TimeSpan.FromSeconds(30), cancellationToken);
        }

        for (var i = 0; i < 50; i++)
        {
            await cache.GetOrReviewAsync("good-" + i, 0, _ => { reviewed++; return Task.FromResult(true); }, static _ => TimeSpan.FromMinutes(2), cancellationToken);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reviewed, Is.Zero);
            Assert.That(cache.Count, Is.LessThanOrEqualTo(101));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task GetOrReviewAsync_ManyKeys_StaysBounded(CancellationToken cancellationToken)
    {
        var cache = new ReviewCache<int, int>(100, new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        for (var i = 0; i < 1000; i++)
        {
            await cache.GetOrReviewAsync(i, i, Task.FromResult, _ => TimeSpan.FromMinutes(1), cancellationToken);
        }

        Assert.That(cache.Count, Is.LessThanOrEqualTo(101));
    }

    [Test, CancelAfter(10_000)]
    public async Task AuthorizeAsync_ConcurrentRequests_OneTokenReviewOneAccessReview(CancellationToken cancellationToken)
    {
        var reviews = new FakeAccessReviews { Delay = TimeSpan.FromMilliseconds(100) };
        reviews.AddToken("t", "u");
        reviews.Grant("u", "ns", "c");
        var reviewer = new AccessReviewer(reviews, Microsoft.Extensions.Options.Options.Create(new ProxyOptions()), TimeProvider.System);

        var decisions = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => reviewer.AuthorizeAsync("t", "ns", "c", null, false, cancellationToken).AsTask()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(decisions.Select(d => d.Outcome), Is.All.EqualTo(AccessOutcome.Allowed));
            Assert.That(reviews.TokenReviews, Is.EqualTo(1));
            Assert.That(reviews.AccessReviews, Is.EqualTo(1));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task AuthorizeAsync_ProxyAudienceToken_AcceptedAfterDefaultAudienceFails(CancellationToken cancellationToken)
    {
        var reviews = new FakeAccessReviews();
        reviews.AddToken("t", "u", "http://c-c.ns.svc.cluster.local");
        reviews.Grant("u", "ns", "c");
        var reviewer = new AccessReviewer(reviews, Microsoft.Extensions.Options.Options.Create(new ProxyOptions()), TimeProvider.System);

        var allowed = await reviewer.AuthorizeAsync("t", "ns", "c", null, false, cancellationToken);
        reviews.Fail = true;
        var unavailable = await reviewer.AuthorizeAsync("other", "ns", "c", null, false, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(allowed.Outcome, Is.EqualTo(AccessOutcome.Allowed));
            Assert.That(reviews.TokenReviews, Is.EqualTo(3));
            Assert.That(unavailable.Outcome, Is.EqualTo(AccessOutcome.Unavailable));
        }
    }
}
