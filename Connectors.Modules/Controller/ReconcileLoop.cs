using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Controller;

/// <summary>
/// One kind's queue and its workers: each worker takes a key, reconciles it, then forgets its backoff and
/// requeues it for later (success), or requeues it rate-limited (exception).
/// </summary>
internal sealed partial class ReconcileLoop<TResource> : IDisposable
{
    private readonly IReconciler<TResource> _reconciler;
    private readonly ControllerMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _kind;
    private long _processed;

    public ReconcileLoop(string kind, IReconciler<TResource> reconciler, ControllerOptions options, ControllerMetrics metrics, TimeProvider timeProvider, ILogger logger)
    {
        _kind = kind;
        _reconciler = reconciler;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _logger = logger;
        Queue = new WorkQueue<ObjectKey>(timeProvider, options.RetryBaseDelay, options.RetryMaxDelay);
        metrics.TrackQueue(kind, () => Queue.Count);
    }

    public WorkQueue<ObjectKey> Queue { get; }

    /// <summary>Reconciles this loop has run, successful or not.</summary>
    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>Runs <paramref name="workers"/> workers until <paramref name="cancellationToken"/> fires.</summary>
    public Task RunAsync(int workers, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None)));

    public void Dispose() => Queue.Dispose();

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            (bool Ok, ObjectKey Key) next;
            try
            {
                next = await Queue.GetAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (!next.Ok)
            {
                return;
            }

            try
            {
                await ProcessAsync(next.Key, cancellationToken);
            }
            finally
            {
                Queue.Done(next.Key);
            }
        }
    }

    private async Task ProcessAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        Interlocked.Increment(ref _processed);
        using var scope = _logger.BeginScope(new Dictionary<string, object> { [_kind] = key.ToString() });
        using var activity = ControllerMetrics.Source.StartActivity("reconcile " + _kind);
        activity?.SetTag("connectors.kind", _kind);
        activity?.SetTag("connectors." + _kind, key.ToString());
        try
        {
            var result = await _reconciler.ReconcileAsync(key, cancellationToken);
            Queue.Forget(key);
            if (result.RequeueAfter is { } after)
            {
                Queue.AddAfter(key, after);
            }

            _metrics.Reconciled(_kind, "success", _timeProvider.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down or leadership lost: the key is picked up again by whoever leads next.
            Queue.Add(key);
        }
        catch (Exception e)
        {
            _metrics.Reconciled(_kind, "error", _timeProvider.GetElapsedTime(started));
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.Message);
            Log.Failed(_logger, _kind, key.ToString(), Queue.Requeues(key) + 1, e.Message);
            Queue.AddRateLimited(key);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2201, LogLevel.Warning, "Reconcile of {Kind} {Key} failed (attempt {Attempt}), retrying with backoff: {Error}")]
        public static partial void Failed(ILogger logger, string kind, string key, int attempt, string error);
    }
}
