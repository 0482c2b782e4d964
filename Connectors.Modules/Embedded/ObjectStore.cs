using System.Globalization;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// The embedded API's storage: committed objects per kind, one global resourceVersion counter (like etcd's
/// revision), a bounded event history for watches that resume from a version, and the live watchers.
/// Every method expects <see cref="Sync"/> to be held by the caller, so a handler's read-check-write is atomic.
/// </summary>
internal sealed class ObjectStore(int historySize)
{
    private readonly Dictionary<ResourceType, SortedDictionary<(string Namespace, string Name), StoredObject>> _objects = [];
    private readonly Queue<StoreEvent> _history = new();
    private readonly List<StoreWatcher> _watchers = [];
    private long _revision;

    public Lock Sync { get; } = new();

    /// <summary>The newest committed resourceVersion.</summary>
    public long Revision => _revision;

    /// <summary>Versions up to and including this one are no longer in the history (a watch from them gets 410).</summary>
    public long CompactedRevision { get; private set; }

    public StoredObject? Get(ResourceType type, string? ns, string name) =>
        Table(type).GetValueOrDefault((ns ?? "", name));

    /// <summary>Objects of <paramref name="type"/> in <paramref name="ns"/> (null: every namespace), ordered by namespace then name.</summary>
    public IEnumerable<StoredObject> List(ResourceType type, string? ns) =>
        ns is null ? Table(type).Values : Table(type).Values.Where(o => o.Namespace == ns);

    /// <summary>Every stored object of every kind.</summary>
    public IEnumerable<StoredObject> All() => _objects.Values.SelectMany(t => t.Values);

    /// <summary>The next resourceVersion, without committing anything (dry runs show what a write would look like).</summary>
    public string PeekRevision() => (_revision + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>Commits <paramref name="node"/> (its metadata complete but for resourceVersion) as ADDED or MODIFIED.</summary>
    public StoredObject Put(ResourceType type, JsonObject node)
    {
        var previous = Get(type, (string?)node["metadata"]?["namespace"], (string)node["metadata"]!["name"]!);
        node["metadata"]!["resourceVersion"] = (++_revision).ToString(CultureInfo.InvariantCulture);
        var stored = new StoredObject(type, node);
        Table(type)[(stored.Namespace ?? "", stored.Name)] = stored;
        Publish(new StoreEvent(previous is null ? "ADDED" : "MODIFIED", stored, previous));
        return stored;
    }

    /// <summary>Removes <paramref name="obj"/>; the DELETED event carries the deletion's resourceVersion.</summary>
    public StoredObject Remove(StoredObject obj)
    {
        Table(obj.Type).Remove((obj.Namespace ?? "", obj.Name));
        var node = obj.Clone();
        node["metadata"]!["resourceVersion"] = (++_revision).ToString(CultureInfo.InvariantCulture);
        var last = new StoredObject(obj.Type, node);
        Publish(new StoreEvent("DELETED", last, obj));
        return last;
    }

    /// <summary>
    /// Registers a watcher. With <paramref name="fromRevision"/> it first receives the retained events after that
    /// version; without, synthetic ADDED events for the current objects (the apiserver's "start at most recent").
    /// </summary>
    /// <exception cref="ApiError">410 Gone: <paramref name="fromRevision"/> is older than the history.</exception>
    public StoreWatcher Subscribe(ResourceType type, string? ns, Func<JsonObject, bool> filter, long? fromRevision)
    {
        var watcher = new StoreWatcher(type, ns, filter);
        if (fromRevision is { } from)
        {
            if (from < CompactedRevision)
            {
                throw Gone(from);
            }

            foreach (var e in _history.Where(e => e.Object.ResourceVersion > from))
            {
                watcher.Offer(e);
            }
        }
        else
        {
            foreach (var obj in List(type, ns).Where(o => filter(o.Node)))
            {
                watcher.Send("ADDED", obj.Json);
            }
        }

        _watchers.Add(watcher);
        return watcher;
    }

    public void Unsubscribe(StoreWatcher watcher)
    {
        _watchers.Remove(watcher);
        watcher.Complete();
    }

    /// <summary>Ends every watch stream (clients see the connection end and must re-watch).</summary>
    public void DisconnectWatchers()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Complete();
        }

        _watchers.Clear();
    }

    /// <summary>Forgets the whole event history: a watch or list from any older version now gets 410 Gone.</summary>
    public void Compact()
    {
        _history.Clear();
        CompactedRevision = _revision;
    }

    public ApiError Gone(long from) =>
        ApiError.Gone($"too old resource version: {from} ({CompactedRevision + 1})");

    private SortedDictionary<(string Namespace, string Name), StoredObject> Table(ResourceType type)
    {
        if (!_objects.TryGetValue(type, out var table))
        {
            table = new SortedDictionary<(string Namespace, string Name), StoredObject>(KeyComparer.Instance);
            _objects[type] = table;
        }

        return table;
    }

    private void Publish(StoreEvent e)
    {
        _history.Enqueue(e);
        while (_history.Count > historySize)
        {
            CompactedRevision = _history.Dequeue().Object.ResourceVersion;
        }

        foreach (var watcher in _watchers)
        {
            watcher.Offer(e);
        }
    }

    private sealed class KeyComparer : IComparer<(string Namespace, string Name)>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare((string Namespace, string Name) x, (string Namespace, string Name) y)
        {
            var c = string.CompareOrdinal(x.Namespace, y.Namespace);
            return c != 0 ? c : string.CompareOrdinal(x.Name, y.Name);
        }
    }
}
