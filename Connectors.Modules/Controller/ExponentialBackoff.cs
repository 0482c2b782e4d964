namespace Connectors.Modules.Controller;

/// <summary>
/// Per-item exponential backoff for failed reconciles (client-go's <c>ItemExponentialFailureRateLimiter</c>):
/// the n-th consecutive failure waits <c>baseDelay * 2^(n-1)</c>, capped at <c>maxDelay</c>; <see cref="Forget"/>
/// resets an item after a success.
/// </summary>
internal sealed class ExponentialBackoff<TKey>(TimeSpan baseDelay, TimeSpan maxDelay)
    where TKey : notnull
{
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly Lock _lock = new();

    /// <summary>Records one more failure of <paramref name="item"/> and returns how long to wait before retrying it.</summary>
    public TimeSpan When(TKey item)
    {
        int failures;
        lock (_lock)
        {
            _failures.TryGetValue(item, out failures);
            _failures[item] = failures + 1;
        }

        // 2^failures overflows long before the cap matters; clamp the exponent.
        var factor = Math.Pow(2, Math.Min(failures, 40));
        var delay = baseDelay.TotalMilliseconds * factor;
        return delay >= maxDelay.TotalMilliseconds ? maxDelay : TimeSpan.FromMilliseconds(delay);
    }

    /// <summary>How many consecutive failures <paramref name="item"/> has had.</summary>
    public int Failures(TKey item)
    {
        lock (_lock)
        {
            return _failures.TryGetValue(item, out var failures) ? failures : 0;
        }
    }

    /// <summary>Clears the failure count of <paramref name="item"/>.</summary>
    public void Forget(TKey item)
    {
        lock (_lock)
        {
            _failures.Remove(item);
        }
    }
}
