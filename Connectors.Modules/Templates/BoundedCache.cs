using System.Collections.Concurrent;

namespace Connectors.Modules.Templates;

/// <summary>A thread-safe memo for pure functions that starts over when it holds <c>capacity</c> entries.</summary>
internal sealed class BoundedCache<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _entries = new();

    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        if (_entries.TryGetValue(key, out var value))
        {
            return value;
        }

        value = create(key);
        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }

        _entries.TryAdd(key, value);
        return value;
    }
}
