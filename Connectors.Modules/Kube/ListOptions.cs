namespace Connectors.Modules.Kube;

/// <summary>Query parameters of list and watch calls.</summary>
public sealed record ListOptions
{
    /// <summary>Label selector, as kubectl's <c>-l</c> (<c>app=x,tier!=db</c>).</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Field selector (<c>metadata.name=x</c>, <c>type=Opaque</c>).</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Page size for list calls; 0 means everything in one answer.</summary>
    public int Limit { get; init; }

    /// <summary>The <c>continue</c> token of the previous page.</summary>
    public string? Continue { get; init; }

    /// <summary>Server-side bound of one watch call, in seconds; 0 leaves it to the server.</summary>
    public int TimeoutSeconds { get; init; }

    /// <summary>Ask the server for <c>BOOKMARK</c> events on watches. Defaults to true.</summary>
    public bool AllowWatchBookmarks { get; init; } = true;
}
