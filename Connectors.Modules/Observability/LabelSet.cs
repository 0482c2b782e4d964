using System.Text;

namespace Connectors.Modules.Observability;

/// <summary>An ordered, comparable set of metric labels.</summary>
public sealed class LabelSet : IEquatable<LabelSet>
{
    private readonly KeyValuePair<string, string>[] _labels;
    private readonly int _hash;

    private LabelSet(KeyValuePair<string, string>[] labels)
    {
        _labels = labels;
        var hash = new HashCode();
        foreach (var (key, value) in labels)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }

        _hash = hash.ToHashCode();
    }

    public IReadOnlyList<KeyValuePair<string, string>> Labels => _labels;

    public static LabelSet From(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = new(tags[i].Key, tags[i].Value?.ToString() ?? string.Empty);
        }

        Array.Sort(labels, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new LabelSet(labels);
    }

    public bool Equals(LabelSet? other)
    {
        if (other is null || other._hash != _hash || other._labels.Length != _labels.Length)
        {
            return false;
        }

        for (var i = 0; i < _labels.Length; i++)
        {
            if (!string.Equals(_labels[i].Key, other._labels[i].Key, StringComparison.Ordinal)
                || !string.Equals(_labels[i].Value, other._labels[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is LabelSet other && Equals(other);

    public override int GetHashCode() => _hash;

    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in _labels)
        {
            builder.Append(key).Append('=').Append(value).Append(',');
        }

        return builder.ToString();
    }
}
