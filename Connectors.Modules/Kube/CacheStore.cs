using Connectors.Modules.Model;

namespace Connectors.Modules.Kube;

/// <summary>Thread-safe map of <c>ns/name</c> to object, with secondary indexes kept in step.</summary>
internal sealed class CacheStore<T>(IReadOnlyDictionary<string, Func<T, IEnumerable<string>>> indexers)
    where T : class, IKubeObject
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _indexes =
        indexers.Keys.ToDictionary(k => k, _ => new Dictionary<string, HashSet<string>>(StringComparer.Ordinal), StringComparer.Ordinal);

    public static string KeyOf(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;

    public static string KeyOf(T obj) => KeyOf(obj.Metadata.Namespace, obj.Metadata.Name ?? string.Empty);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    public T? Get(string key)
    {
        lock (_lock)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public List<T> List(string? ns)
    {
        lock (_lock)
        {
            return [.. _items.Values.Where(o => ns is null || o.Metadata.Namespace == ns)];
        }
    }

    /// <exception cref="ArgumentException">No index named <paramref name="index"/>.</exception>
    public List<T> ByIndex(string index, string value)
    {
        lock (_lock)
        {
            if (!_indexes.TryGetValue(index, out var entries))
            {
                throw new ArgumentException($"no index \"{index}\" on the {typeof(T).Name} cache", nameof(index));
            }

            return entries.TryGetValue(value, out var keys) ? [.. keys.Select(k => _items[k])] : [];
        }
    }

    /// <summary>Stores <paramref name="obj"/>; returns the object it replaced, if any.</summary>
    /// <exception cref="Exception">An indexer failed on <paramref name="obj"/>; the store is unchanged.</exception>
    public T? Upsert(T obj)
    {
        var key = KeyOf(obj);

        // Index values first: an indexer that throws on this object leaves the store as it was.
        var values = indexers.Select(i => (i.Key, Values: i.Value(obj).ToArray())).ToArray();
        lock (_lock)
        {
            var old = _items.GetValueOrDefault(key);
            if (old is not null)
            {
                Unindex(key, old);
            }

            _items[key] = obj;
            foreach (var (name, indexValues) in values)
            {
                foreach (var value in indexValues)
                {
                    if (!_indexes[name].TryGetValue(value, out var keys))
                    {
                        _indexes[name][value] = keys = new HashSet<string>(StringComparer.Ordinal);
                    }

                    keys.Add(key);
                }
            }

            return old;
        }
    }

    /// <summary>Removes the object at <paramref name="key"/>; returns it, if it was there.</summary>
    public T? Remove(string key)
    {
        lock (_lock)
        {
            if (!_items.Remove(key, out var old))
            {
                return null;
            }

            Unindex(key, old);
            return old;
        }
    }

    public List<string> Keys()
    {
        lock (_lock)
        {
            return [.. _items.Keys];
        }
    }

    private void Unindex(string key, T obj)
    {
        foreach (var (name, indexer) in indexers)
        {
            foreach (var value in indexer(obj))
            {
                if (_indexes[name].TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    _indexes[name].Remove(value);
                }
            }
        }
    }
}
