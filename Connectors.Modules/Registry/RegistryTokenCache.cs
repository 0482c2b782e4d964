using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Registry;

/// <summary>
/// Registry tokens by <see cref="TokenKey"/> until they expire, at most <see cref="RegistryOptions.TokenCacheSize"/>:
/// when full, expired entries go first, then those closest to expiry. Concurrent misses of one key share one fetch
/// (a push uploads layers in parallel, all wanting the same scope).
/// </summary>
internal sealed class RegistryTokenCache(IOptions<RegistryOptions> options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<TokenKey, RegistryToken> _tokens = new();
    private readonly ConcurrentDictionary<TokenKey, Lazy<Task<TokenFetch>>> _fetching = new();
    private readonly Lock _evicting = new();

    public int Count => _tokens.Count;

    /// <summary>The token for <paramref name="key"/> when one is cached and not expired.</summary>
    public bool TryGet(TokenKey key, out RegistryToken token)
    {
        if (_tokens.TryGetValue(key, out token))
        {
            if (token.ExpiresAt > timeProvider.GetUtcNow())
            {
                return true;
            }

            _tokens.TryRemove(new KeyValuePair<TokenKey, RegistryToken>(key, token));
        }

        token = default;
        return false;
    }

    /// <summary>Forgets <paramref name="key"/>'s token (the registry refused it).</summary>
    public void Remove(TokenKey key) => _tokens.TryRemove(key, out _);

    /// <summary>
    /// The cached token, or the result of <paramref name="fetch"/> (cached when it succeeded). The fetch runs
    /// once for all concurrent callers of one key; it bounds its own time, each caller may stop waiting.
    /// </summary>
    public async ValueTask<TokenFetch> GetOrFetchAsync(TokenKey key, Func<Task<TokenFetch>> fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        if (TryGet(key, out var cached))
        {
            return new TokenFetch(cached, null, null);
        }

        var lazy = _fetching.GetOrAdd(key, static (k, state) => new Lazy<Task<TokenFetch>>(() => state.Cache.FetchOnceAsync(k, state.Fetch)), (Cache: this, Fetch: fetch));
        return await lazy.Value.WaitAsync(cancellationToken);
    }

    public void Set(TokenKey key, RegistryToken token)
    {
        if (_tokens.Count >= options.Value.TokenCacheSize && !_tokens.ContainsKey(key))
        {
            Evict();
        }

        _tokens[key] = token;
    }

    /// <summary>The one fetch of a key: its token is cached and the key leaves the in-flight table however it ends.</summary>
    private async Task<TokenFetch> FetchOnceAsync(TokenKey key, Func<Task<TokenFetch>> fetch)
    {
        try
        {
            var result = await fetch();
            if (result.Token is { } token)
            {
                Set(key, token);
            }

            return result;
        }
        finally
        {
            _fetching.TryRemove(key, out _);
        }
    }

    private void Evict()
    {
        lock (_evicting)
        {
            var limit = options.Value.TokenCacheSize;
            if (_tokens.Count < limit)
            {
                return;
            }

            var now = timeProvider.GetUtcNow();
            var byExpiry = _tokens.ToArray();
            Array.Sort(byExpiry, static (a, b) => a.Value.ExpiresAt.CompareTo(b.Value.ExpiresAt));

            // Expired ones, and at least an eighth of the cache (one entry at the least), so eviction is not per insert.
            var target = Math.Max(1, limit / 8);
            for (var i = 0; i < byExpiry.Length && (i < target || byExpiry[i].Value.ExpiresAt <= now); i++)
            {
                _tokens.TryRemove(byExpiry[i]);
            }
        }
    }
}
