using Connectors.Modules.Model;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Kube;

/// <summary>Applies changes to a <see cref="CacheStore{T}"/> and tells the registered handlers, in order.</summary>
internal sealed partial class CacheHandlers<T>(CacheStore<T> store, ILogger logger)
    where T : class, IKubeObject
{
    private readonly Lock _lock = new();
    private readonly List<Action<T>> _added = [];
    private readonly List<Action<T, T>> _updated = [];
    private readonly List<Action<T>> _deleted = [];

    public void OnAdd(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock)
        {
            _added.Add(handler);
            foreach (var key in store.Keys())
            {
                if (store.Get(key) is { } existing)
                {
                    Call(() => handler(existing));
                }
            }
        }
    }

    public void OnUpdate(Action<T, T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock)
        {
            _updated.Add(handler);
        }
    }

    public void OnDelete(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock)
        {
            _deleted.Add(handler);
        }
    }

    public void Upsert(T obj)
    {
        lock (_lock)
        {
            T? old;
            try
            {
                old = store.Upsert(obj);
            }
            catch (Exception e)
            {
                // One object the cache cannot index (a Connector stored with "spec": null) must not stop the watch:
                // it would replay the same event after every reconnect, and no later change would be seen.
                Log.ObjectSkipped(logger, typeof(T).Name, obj.Metadata.Namespace ?? string.Empty, obj.Metadata.Name ?? string.Empty, e);
                return;
            }

            if (old is null)
            {
                _added.ForEach(h => Call(() => h(obj)));
            }
            else if (old.Metadata.ResourceVersion != obj.Metadata.ResourceVersion)
            {
                _updated.ForEach(h => Call(() => h(old, obj)));
            }
        }
    }

    public void Delete(string key)
    {
        lock (_lock)
        {
            if (store.Remove(key) is { } old)
            {
                _deleted.ForEach(h => Call(() => h(old)));
            }
        }
    }

    /// <summary>Makes the store hold exactly <paramref name="items"/> (a relist), with add, update and delete calls for the difference.</summary>
    public void Replace(IReadOnlyList<T> items)
    {
        lock (_lock)
        {
            var keep = new HashSet<string>(items.Select(CacheStore<T>.KeyOf), StringComparer.Ordinal);
            foreach (var key in store.Keys().Where(k => !keep.Contains(k)))
            {
                Delete(key);
            }

            foreach (var item in items)
            {
                Upsert(item);
            }
        }
    }

    private void Call(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            Log.HandlerFailed(logger, typeof(T).Name, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1205, LogLevel.Error, "A {Kind} cache handler failed")]
        public static partial void HandlerFailed(ILogger logger, string kind, Exception exception);

        [LoggerMessage(1206, LogLevel.Error, "{Kind} {Namespace}/{Name} skipped: the cache cannot index it")]
        public static partial void ObjectSkipped(ILogger logger, string kind, string @namespace, string name, Exception exception);
    }
}
