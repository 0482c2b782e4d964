using Connectors.Modules.Model;
using Connectors.Modules.Observability;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Kube;

/// <summary>
/// A watch cache (informer) of one kind: lists, then watches from the list's resourceVersion with bookmarks; relists
/// on 410 Gone; reconnects after a broken stream with jittered backoff. Reads never call the API. Objects handed
/// out are shared: treat them as read-only and copy before changing. Ready for <c>/readyz</c> once synced.
/// </summary>
/// <typeparam name="T">The kind cached.</typeparam>
public sealed partial class ResourceCache<T> : IReadinessCheck
    where T : class, IKubeObject
{
    private readonly KubeClient _client;
    private readonly ResourceCacheOptions<T> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CacheStore<T> _store;
    private readonly CacheHandlers<T> _handlers;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _resourceVersion = string.Empty;
    private int _lists;

    public ResourceCache(KubeClient client, ResourceCacheOptions<T> options, TimeProvider timeProvider, ILogger<ResourceCache<T>> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _store = new CacheStore<T>(options.Indexers);
        _handlers = new CacheHandlers<T>(_store, logger);
        Name = "cache " + KubeResource.Of<T>().Plural;
        KubeMetrics.TrackCache(KubeResource.Of<T>().Plural, () => _store.Count);
    }

    /// <summary>Name shown by <c>/readyz</c> while not synced.</summary>
    public string Name { get; }

    public bool IsReady => HasSynced;

    /// <summary>True once the first list has been stored; stays true across relists and reconnects.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion the cache has caught up to.</summary>
    public string ResourceVersion => Volatile.Read(ref _resourceVersion);

    /// <summary>How many objects the cache holds.</summary>
    public int Count => _store.Count;

    /// <summary>How many full lists the cache has done (1 after the first sync; more after relists).</summary>
    internal int ListCount => Volatile.Read(ref _lists);

    /// <summary>Completes when the cache has synced.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>The object <paramref name="name"/> in <paramref name="ns"/> (null for cluster-scoped kinds), or null.</summary>
    public T? Get(string? ns, string name) => _store.Get(CacheStore<T>.KeyOf(ns, name));

    /// <summary>Every object in <paramref name="ns"/>, or every object when null.</summary>
    public IReadOnlyList<T> List(string? ns = null) => _store.List(ns);

    /// <summary>Objects whose index <paramref name="index"/> has the key <paramref name="key"/> (see <see cref="KubeIndexes"/>).</summary>
    /// <exception cref="ArgumentException">The cache has no such index.</exception>
    public IReadOnlyList<T> ByIndex(string index, string key) => _store.ByIndex(index, key);

    /// <summary>Calls <paramref name="handler"/> for each object added; objects already cached are replayed to it first.</summary>
    public void OnAdd(Action<T> handler) => _handlers.OnAdd(handler);

    /// <summary>Calls <paramref name="handler"/> with the old and new object when one changes.</summary>
    public void OnUpdate(Action<T, T> handler) => _handlers.OnUpdate(handler);

    /// <summary>Calls <paramref name="handler"/> with the last known state of each object deleted.</summary>
    public void OnDelete(Action<T> handler) => _handlers.OnDelete(handler);

    /// <summary>Runs the list and watch loop until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff, Random.Shared);
        var needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    var listed = await ListAsync(cancellationToken);
                    if (listed is not null)
                    {
                        Log.RetryList(_logger, Name, listed);
                        await Task.Delay(backoff.Next(), _timeProvider, cancellationToken);
                        continue;
                    }

                    needList = false;
                }

                await WatchAsync(backoff, cancellationToken);
            }
            catch (KubeException e) when (e.Outcome == KubeOutcome.Gone)
            {
                Log.Expired(_logger, Name, ResourceVersion);
                KubeMetrics.WatchRestart(KubeResource.Of<T>().Plural, "gone");
                needList = true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever broke the list or the watch, the loop goes on: an informer that ends is a cache that never syncs
                // again. Not only KubeException / HttpRequestException / IOException: SocketsHttpHandler lets a raw
                // SocketException (ENOTCONN from reading the remote end point of a socket reset during connect) escape
                // unwrapped, and before this catch one such reset ended the loop for good.
                var delay = backoff.Next();
                KubeMetrics.WatchRestart(KubeResource.Of<T>().Plural, "broken");
                Log.Reconnect(_logger, Name, delay.TotalMilliseconds, e.Message);
                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <returns>Null on success, else why the list failed.</returns>
    private async Task<string?> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        var options = new ListOptions { LabelSelector = _options.LabelSelector, FieldSelector = _options.FieldSelector, Limit = _options.PageSize };
        string resourceVersion;
        while (true)
        {
            var page = await _client.ListAsync<T>(_options.Namespace, options, cancellationToken);
            if (!page.IsOk)
            {
                return $"{page.Outcome}: {page.Message}";
            }

            items.AddRange(page.Value!.Items.Select(_options.Transform));
            resourceVersion = page.Value.Metadata.ResourceVersion ?? string.Empty;
            if (string.IsNullOrEmpty(page.Value.Metadata.Continue))
            {
                break;
            }

            options = options with { Continue = page.Value.Metadata.Continue };
        }

        _handlers.Replace(items);
        Volatile.Write(ref _resourceVersion, resourceVersion);
        Interlocked.Increment(ref _lists);
        _synced.TrySetResult();
        Log.Listed(_logger, Name, items.Count, resourceVersion);
        return null;
    }

    private async Task WatchAsync(Backoff backoff, CancellationToken cancellationToken)
    {
        var timeout = _options.WatchTimeout * (1 + Random.Shared.NextDouble());
        var options = new ListOptions
        {
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            TimeoutSeconds = (int)Math.Max(1, timeout.TotalSeconds),
        };
        // A silently dead connection never ends the stream: give up a little after the server should have.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds) + TimeSpan.FromSeconds(30));
        try
        {
            await ConsumeAsync(options, backoff, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The watch outlived its bound: start a new one from the last resourceVersion.
        }
    }

    private async Task ConsumeAsync(ListOptions options, Backoff backoff, CancellationToken cancellationToken)
    {
        await foreach (var change in _client.WatchAsync<T>(_options.Namespace, ResourceVersion, options, cancellationToken))
        {
            if (change.Object is not { } obj)
            {
                continue;
            }

            switch (change.Type)
            {
                case "ADDED" or "MODIFIED":
                    _handlers.Upsert(_options.Transform(obj));
                    break;
                case "DELETED":
                    _handlers.Delete(CacheStore<T>.KeyOf(obj));
                    break;
            }

            if (obj.Metadata.ResourceVersion is { Length: > 0 } version)
            {
                Volatile.Write(ref _resourceVersion, version);
            }

            backoff.Reset();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1201, LogLevel.Debug, "{Cache} listed {Count} objects at resourceVersion {ResourceVersion}")]
        public static partial void Listed(ILogger logger, string cache, int count, string resourceVersion);

        [LoggerMessage(1202, LogLevel.Warning, "{Cache} list failed, retrying: {Reason}")]
        public static partial void RetryList(ILogger logger, string cache, string reason);

        [LoggerMessage(1203, LogLevel.Information, "{Cache} watch at resourceVersion {ResourceVersion} expired (410 Gone); relisting")]
        public static partial void Expired(ILogger logger, string cache, string resourceVersion);

        [LoggerMessage(1204, LogLevel.Warning, "{Cache} watch broke, reconnecting in {DelayMs} ms: {Reason}")]
        public static partial void Reconnect(ILogger logger, string cache, double delayMs, string reason);
    }
}
