using Connectors.Modules.Registry;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Connectors.Tests.Registry;

[TestFixture]
public sealed class RegistryTokenCacheTests
{
    private static readonly Uri Registry = new("https://registry.example.com");

    private static RegistryTokenCache NewCache(FakeTimeProvider time, int size = 16) =>
        new(Options.Create(new RegistryOptions { TokenCacheSize = size }), time);

    private static TokenKey Key(string scope, RegistryCredential? credential = null) => TokenKey.For(Registry, credential, [scope]);

    [Test]
    public async Task GetOrFetchAsync_UntilExpiry_FetchesOnceThenAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var cache = NewCache(time);
        var fetches = 0;
        Task<TokenFetch> Fetch() => Task.FromResult(new TokenFetch(new RegistryToken("t" + ++fetches, time.GetUtcNow().AddSeconds(60)), 200, null));

        var first = await cache.GetOrFetchAsync(Key("repository:a:pull"), Fetch, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(59));
        var cached = await cache.GetOrFetchAsync(Key("repository:a:pull"), Fetch, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        var renewed = await cache.GetOrFetchAsync(Key("repository:a:pull"), Fetch, CancellationToken.None);

        Assert.That(new[] { first.Token?.Value, cached.Token?.Value, renewed.Token?.Value }, Is.EqualTo(new[] { "t1", "t1", "t2" }));
    }

    [Test]
    public async Task GetOrFetchAsync_KeysDifferByScopeAndCredential_FailuresNotCached()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var cache = NewCache(time);
        var fetches = 0;
        Task<TokenFetch> Fetch() => Task.FromResult(new TokenFetch(new RegistryToken("t" + ++fetches, time.GetUtcNow().AddSeconds(60)), 200, null));
        Task<TokenFetch> Fail() => Task.FromResult(TokenFetch.Failed(401, "refused"));

        await cache.GetOrFetchAsync(Key("repository:a:pull"), Fetch, CancellationToken.None);
        await cache.GetOrFetchAsync(Key("repository:a:pull,push"), Fetch, CancellationToken.None);
        await cache.GetOrFetchAsync(Key("repository:a:pull", new RegistryCredential("u", "p")), Fetch, CancellationToken.None);
        await cache.GetOrFetchAsync(Key("repository:b:pull"), Fail, CancellationToken.None);
        var retried = await cache.GetOrFetchAsync(Key("repository:b:pull"), Fetch, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fetches, Is.EqualTo(4));
            Assert.That(retried.Token?.Value, Is.EqualTo("t4"));
            Assert.That(TokenKey.For(Registry, new RegistryCredential("u", "secret-p"), ["b", "a", "b"]).ToString(), Does.Not.Contain("secret-p").And.Contain("a b"));
        }
    }

    [Test]
    public async Task GetOrFetchAsync_ConcurrentMisses_ShareOneFetch()
    {
        var cache = NewCache(new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        var gate = new TaskCompletionSource<TokenFetch>();
        var fetches = 0;
        Task<TokenFetch> Fetch()
        {
            Interlocked.Increment(ref fetches);
            return gate.Task;
        }

        var waiting = Enumerable.Range(0, 8).Select(_ => cache.GetOrFetchAsync(Key("repository:a:pull"), Fetch, CancellationToken.None).AsTask()).ToArray();
        gate.SetResult(new TokenFetch(new RegistryToken("shared", DateTimeOffset.MaxValue.AddDays(-1)), 200, null));
        var results = await Task.WhenAll(waiting);

        Assert.That((fetches, results.Select(r => r.Token?.Value).Distinct().Single()), Is.EqualTo((1, "shared")));
    }

    [Test]
    public void Set_BeyondTheBound_EvictsClosestToExpiryFirst()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var cache = NewCache(time, size: 8);
        for (var i = 0; i < 20; i++)
        {
            cache.Set(Key("repository:r" + i + ":pull"), new RegistryToken("t" + i, time.GetUtcNow().AddSeconds(100 + i)));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cache.Count, Is.LessThanOrEqualTo(8));
            Assert.That(cache.TryGet(Key("repository:r19:pull"), out _), Is.True);
            Assert.That(cache.TryGet(Key("repository:r0:pull"), out _), Is.False);
        }
    }
}
