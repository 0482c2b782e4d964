namespace Connectors.Modules.Controller;

/// <summary>
/// A work queue with client-go semantics: an item is queued at most once however often it is added; an item
/// being processed is not handed to a second worker, and an add during processing queues it again on
/// <see cref="Done"/>. Delayed adds keep the earliest due time; rate-limited adds back off per item.
/// </summary>
internal sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, (DateTimeOffset Due, ITimer Timer)> _waiting = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly ExponentialBackoff<TKey> _backoff;

    public WorkQueue(TimeProvider timeProvider, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        _timeProvider = timeProvider;
        _backoff = new ExponentialBackoff<TKey>(baseDelay, maxDelay);
    }

    /// <summary>Items waiting for a worker (not counting delayed items or items being processed).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Items waiting for their delay to pass.</summary>
    public int DelayedCount
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    public bool IsShutDown => _shutdown.IsCancellationRequested;

    /// <summary>Queues <paramref name="item"/> unless it is already queued.</summary>
    public void Add(TKey item)
    {
        lock (_lock)
        {
            if (_shutdown.IsCancellationRequested || !_dirty.Add(item) || _processing.Contains(item))
            {
                return;
            }

            _queue.Enqueue(item);
        }

        _available.Release();
    }

    /// <summary>Queues <paramref name="item"/> after <paramref name="delay"/>; an earlier pending due time wins.</summary>
    public void AddAfter(TKey item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }

        lock (_lock)
        {
            if (_shutdown.IsCancellationRequested)
            {
                return;
            }

            var due = _timeProvider.GetUtcNow() + delay;
            if (_waiting.TryGetValue(item, out var pending))
            {
                if (pending.Due <= due)
                {
                    return;
                }

                pending.Timer.Dispose();
            }

            var timer = _timeProvider.CreateTimer(Fire, item, delay, Timeout.InfiniteTimeSpan);
            _waiting[item] = (due, timer);
        }
    }

    /// <summary>Queues <paramref name="item"/> after its backoff: one more failure of it.</summary>
    public void AddRateLimited(TKey item) => AddAfter(item, _backoff.When(item));

    /// <summary>Ends the backoff of <paramref name="item"/> after a success.</summary>
    public void Forget(TKey item) => _backoff.Forget(item);

    /// <summary>Consecutive failures of <paramref name="item"/>.</summary>
    public int Requeues(TKey item) => _backoff.Failures(item);

    /// <summary>Waits for an item and marks it as being processed; the caller must call <see cref="Done"/>.</summary>
    /// <returns>The item, or <c>false</c> once the queue is shut down.</returns>
    public async Task<(bool Ok, TKey Item)> GetAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        try
        {
            await _available.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
            return (false, default!);
        }

        lock (_lock)
        {
            var item = _queue.Dequeue();
            _dirty.Remove(item);
            _processing.Add(item);
            return (true, item);
        }
    }

    /// <summary>Ends processing of <paramref name="item"/>; if it was added meanwhile it is queued again.</summary>
    public void Done(TKey item)
    {
        bool requeue;
        lock (_lock)
        {
            _processing.Remove(item);
            requeue = _dirty.Contains(item) && !_shutdown.IsCancellationRequested;
            if (requeue)
            {
                _queue.Enqueue(item);
            }
        }

        if (requeue)
        {
            _available.Release();
        }
    }

    /// <summary>Stops handing out items; waiting <see cref="GetAsync"/> calls return <c>false</c>.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            foreach (var (_, timer) in _waiting.Values)
            {
                timer.Dispose();
            }

            _waiting.Clear();
            _shutdown.Cancel();
        }
    }

    public void Dispose()
    {
        ShutDown();
        _shutdown.Dispose();
        _available.Dispose();
    }

    private void Fire(object? state)
    {
        var item = (TKey)state!;
        lock (_lock)
        {
            if (!_waiting.Remove(item, out var pending))
            {
                return;
            }

            pending.Timer.Dispose();
        }

        Add(item);
    }
}
