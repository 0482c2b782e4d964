namespace Connectors.Modules.Templates;

/// <summary>
/// A Go map with string keys (<c>map[string]interface {}</c> or <c>map[string]string</c>). Keys iterate in Go's
/// order for printing and range: sorted by their UTF-8 bytes.
/// </summary>
internal sealed class GoMap(Dictionary<string, object?> entries, string elemType = GoMap.AnyElem)
{
    public const string AnyElem = "interface {}";
    private string[]? _sortedKeys;

    public GoMap()
        : this(new Dictionary<string, object?>(StringComparer.Ordinal))
    {
    }

    public Dictionary<string, object?> Entries { get; } = entries;

    /// <summary>The Go element type: "interface {}" or "string".</summary>
    public string ElemType { get; } = elemType;

    public int Count => Entries.Count;

    public string TypeName => "map[string]" + ElemType;

    /// <summary>Keys in Go's order; callers must not mutate the map after asking (sprig's set/unset reset it).</summary>
    public string[] SortedKeys
    {
        get
        {
            if (_sortedKeys is null)
            {
                var keys = Entries.Keys.ToArray();
                Array.Sort(keys, Utf8Order.Instance);
                _sortedKeys = keys;
            }

            return _sortedKeys;
        }
    }

    /// <summary>The Go zero value of the element type, used for missingkey=zero and index of a missing key.</summary>
    public object? ZeroElem => ElemType == "string" ? string.Empty : GoNil.Instance;

    public void Set(string key, object? value)
    {
        Entries[key] = value;
        _sortedKeys = null;
    }

    public bool Remove(string key)
    {
        _sortedKeys = null;
        return Entries.Remove(key);
    }
}
