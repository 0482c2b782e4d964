using System.Collections.Concurrent;

namespace Connectors.Modules.Proxy;

/// <summary>
/// A bounded cache of review results with a time-to-live chosen per result. Concurrent callers asking for the same
/// key while its review runs share that one call (single flight). Above the bound, expired entries go first, then
/// arbitrary ones that <paramref name="precious"/> does not single out (denials before allowed decisions), then any,
/// down to 90% of the bound: a flood of bad tokens pushes out other bad tokens before it pushes out good ones.
/// </summary>
internal sealed class ReviewCache<TKey, TValue>(int capacity, TimeProvider timeProvider, Func<TValue, bool>? precious = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private int _trimming;

    public int Count => _entries.Count;

    /// <summary>
    /// Returns the cached value for <paramref name="key"/> or runs <paramref name="review"/> once for all waiters;
    /// <paramref name="ttl"/> chooses how long a result stays (zero or less: not kept).
    /// </summary>
    public async ValueTask<TValue> GetOrReviewAsync<TState>(
        TKey key, TState state, Func<TState, Task<TValue>> review, Func<TValue, TimeSpan> ttl, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetTimestamp();
        if (_entries.TryGetValue(key, out var existing) && existing.IsUsable(now))
        {
            return existing.Task.IsCompletedSuccessfully ? existing.Task.Result : await existing.Task.WaitAsync(cancellationToken);
        }

        var fresh = new Entry();
        var entry = _entries.AddOrUpdate(key, fresh, (_, old) => old.IsUsable(now) ? old : fresh);
        if (ReferenceEquals(entry, fresh))
        {
            _ = RunAsync(key, fresh, state, review, ttl);
            TrimIfNeeded(now);
        }

        return await entry.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync<TState>(TKey key, Entry entry, TState state, Func<TState, Task<TValue>> review, Func<TValue, TimeSpan> ttl)
    {
        try
        {
            var value = await review(state);
            var keep = ttl(value);
            entry.ExpiresAt = keep > TimeSpan.Zero ? timeProvider.GetTimestamp() + (long)(keep.TotalSeconds * timeProvider.TimestampFrequency) : 0;
            entry.Complete(value);
        }
        catch (Exception e)
        {
            entry.ExpiresAt = 0;
            entry.Fail(e);
        }

        if (entry.ExpiresAt == 0)
        {
            _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry));
        }
    }

    private void TrimIfNeeded(long now)
    {
        if (_entries.Count <= capacity || Interlocked.Exchange(ref _trimming, 1) == 1)
        {
            return;
        }

        try
        {
            foreach (var pair in _entries)
            {
                if (pair.Value.Task.IsCompleted && !pair.Value.IsUsable(now))
                {
                    _entries.TryRemove(pair);
                }
            }

            var target = capacity * 9 / 10;
            Evict(target, precious);
            Evict(target, null);
        }
        finally
        {
            Volatile.Write(ref _trimming, 0);
        }
    }

    /// <summary>Removes completed entries (except those <paramref name="spare"/> names) until <paramref name="target"/> are left.</summary>
    private void Evict(int target, Func<TValue, bool>? spare)
    {
        foreach (var pair in _entries)
        {
            if (_entries.Count <= target)
            {
                return;
            }

            var task = pair.Value.Task;
            if (task.IsCompleted && !(spare is not null && task.IsCompletedSuccessfully && spare(task.Result)))
            {
                _entries.TryRemove(pair);
            }
        }
    }

    private sealed class Entry
    {
        private readonly TaskCompletionSource<TValue> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Timestamp after which the entry is stale; <c>long.MaxValue</c> while the review runs.</summary>
        public long ExpiresAt { get; set; } = long.MaxValue;

        public Task<TValue> Task => _completion.Task;

        public bool IsUsable(long now) => !Task.IsCompleted || ExpiresAt > now;

        public void Complete(TValue value) => _completion.TrySetResult(value);

        public void Fail(Exception error) => _completion.TrySetException(error);
    }
}
