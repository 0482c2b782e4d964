namespace Connectors.Modules.Kube;

/// <summary>
/// Whether the API server answers, as the client last saw it. Any HTTP answer of any status means reachable; a
/// failed or timed-out request only raises a suspicion, and <see cref="KubeReachabilityService"/> confirms it by
/// asking <c>/version</c> (at once when suspected, every 5 s otherwise, every second while an outage lasts): one slow
/// request or one reset connection during a rolling restart does not count as an outage.
/// Callers that must not hang on a stopped API server (the proxy's reviews) link <see cref="LostToken"/> into their
/// calls: it is cancelled the moment the server is found unreachable.
/// </summary>
public sealed class KubeReachability : IDisposable
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _suspected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _timeProvider;
    private CancellationTokenSource _lost = new();
    private bool _lostTaken;
    private string? _problem;
    private DateTimeOffset _since;

    internal KubeReachability(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        KubeMetrics.TrackReachability(this);
    }

    /// <summary>False from the first failed request or probe until the next answer.</summary>
    public bool IsReachable => Volatile.Read(ref _problem) is null;

    /// <summary>Why the server is unreachable and since when, or null; never holds a credential.</summary>
    public string? Problem => Volatile.Read(ref _problem) is { } problem
        ? $"{problem} (unreachable for {(_timeProvider.GetUtcNow() - _since).TotalSeconds:0} s)"
        : null;

    /// <summary>Cancelled when the server is found unreachable; a fresh token after it answers again.</summary>
    public CancellationToken LostToken
    {
        get
        {
            lock (_lock)
            {
                return _lost.Token;
            }
        }
    }

    /// <summary>A caller has waited unusually long for an answer: probe now instead of at the next tick.</summary>
    public void Suspect() => Volatile.Read(ref _suspected).TrySetResult();

    public void Dispose()
    {
        KubeMetrics.ForgetReachability(this);
        lock (_lock)
        {
            _lost.Dispose();
        }
    }

    /// <summary>Returns after <paramref name="timeout"/>, or earlier when <see cref="Suspect"/> is called.</summary>
    internal async Task WaitForSuspicionAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref _suspected);
        try
        {
            await signal.Task.WaitAsync(timeout, _timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The regular tick.
        }

        if (signal.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _suspected, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), signal);
        }
    }

    internal void ReportAnswer()
    {
        if (Volatile.Read(ref _problem) is null)
        {
            return;
        }

        lock (_lock)
        {
            _problem = null;
            if (_lostTaken)
            {
                // The failure that took this source may still be cancelling it outside the lock: replace it, and
                // leave the old one to the GC (disposing it could make that late Cancel throw).
                _lost = new CancellationTokenSource();
                _lostTaken = false;
            }
        }
    }

    internal void ReportFailure(string problem)
    {
        CancellationTokenSource? cancel = null;
        lock (_lock)
        {
            if (_problem is null)
            {
                _since = _timeProvider.GetUtcNow();
                cancel = _lost;
                _lostTaken = true;
            }

            _problem = problem;
        }

        cancel?.Cancel();
    }
}
