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
