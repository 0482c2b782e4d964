namespace Connectors.Modules.Kube;

/// <summary>
/// Client-side token bucket, as client-go's <c>--kube-api-qps</c>/<c>--kube-api-burst</c>: the bucket holds up to
/// <c>burst</c> tokens and refills at <c>qps</c> per second; a request takes one token or waits for the next.
/// Waiters reserve tokens in arrival order (the balance may go negative), so none starves.
/// </summary>
internal sealed class KubeRateLimiter
{
    private readonly double _qps;
    private readonly int _burst;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _last;

    public KubeRateLimiter(double qps, int burst, TimeProvider timeProvider)
    {
        _qps = qps;
        _burst = Math.Max(1, burst);
        _timeProvider = timeProvider;
        _tokens = _burst;
        _last = timeProvider.GetTimestamp();
    }

    /// <summary>True when requests are not limited (qps 0 or less).</summary>
    public bool Unlimited => _qps <= 0;

    /// <summary>Takes one token, waiting until one is available.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (Unlimited)
        {
            return;
        }

        var wait = Reserve();
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        await WaitReservedAsync(wait, cancellationToken);
    }

    /// <summary>Waits out a reservation; a cancelled wait gives its token back.</summary>
    private async Task WaitReservedAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(wait, _timeProvider, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                _tokens += 1;
            }

            throw;
        }
    }

    /// <summary>
    /// Takes one token when one is available within <paramref name="longest"/> (waiting for it), else takes none and
    /// returns false at once: for callers that had better refuse than queue.
    /// </summary>
    public async ValueTask<bool> TryWaitAsync(TimeSpan longest, CancellationToken cancellationToken)
    {
        if (Unlimited)
        {
            return true;
        }

        var wait = Reserve();
        if (wait > longest)
        {
            lock (_lock)
            {
                _tokens += 1;
            }

            return false;
        }

        if (wait > TimeSpan.Zero)
        {
            await WaitReservedAsync(wait, cancellationToken);
        }

        return true;
    }

    /// <summary>Takes a token now and returns how long the caller must wait before using it.</summary>
    internal TimeSpan Reserve()
    {
        lock (_lock)
        {
            var now = _timeProvider.GetTimestamp();
            var elapsed = _timeProvider.GetElapsedTime(_last, now);
            _last = now;
            _tokens = Math.Min(_burst, _tokens + (elapsed.TotalSeconds * _qps));
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _qps);
        }
    }
}
