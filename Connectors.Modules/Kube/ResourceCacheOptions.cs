using Connectors.Modules.Model;

namespace Connectors.Modules.Kube;

/// <summary>What one <see cref="ResourceCache{T}"/> watches, how it indexes, and how it retries.</summary>
/// <typeparam name="T">The kind cached.</typeparam>
public sealed class ResourceCacheOptions<T>
    where T : class, IKubeObject
{
    /// <summary>Namespace to watch; null watches every namespace (or the cluster for cluster-scoped kinds).</summary>
    public string? Namespace { get; set; }

    public string? LabelSelector { get; set; }

    public string? FieldSelector { get; set; }

    /// <summary>Secondary indexes: name to a function that gives an object's keys under that index.</summary>
    public Dictionary<string, Func<T, IEnumerable<string>>> Indexers { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Applied to each object before it is stored, to keep only what is used. Defaults to dropping the
    /// <c>kubectl.kubernetes.io/last-applied-configuration</c> annotation (managedFields are never decoded).
    /// </summary>
    public Func<T, T> Transform { get; set; } = DropLastApplied;

    /// <summary>First delay after a failed list or a broken watch; doubles up to <see cref="MaxBackoff"/>, with jitter. Defaults to 500 ms.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay between reconnect attempts. Defaults to 30 s.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Server-side bound of one watch call; a random value between this and twice it is used. Defaults to 5 minutes.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Page size of the initial list. Defaults to 500.</summary>
    public int PageSize { get; set; } = 500;

    private static T DropLastApplied(T obj)
    {
        obj.Metadata.Annotations?.Remove("kubectl.kubernetes.io/last-applied-configuration");
        return obj;
    }
}
