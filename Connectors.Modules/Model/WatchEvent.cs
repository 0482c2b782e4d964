namespace Connectors.Modules.Model;

/// <summary>One line of a watch stream: <c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c>, <c>BOOKMARK</c> or <c>ERROR</c>.</summary>
public sealed class WatchEvent<T>
{
    public string Type { get; set; } = string.Empty;

    public T? Object { get; set; }
}
