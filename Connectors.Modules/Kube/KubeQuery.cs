using System.Text;

namespace Connectors.Modules.Kube;

/// <summary>Query strings of list and watch calls.</summary>
internal static class KubeQuery
{
    public static string ForList(ListOptions? options)
    {
        var query = new StringBuilder();
        Selectors(query, options);
        if (options is { Limit: > 0 })
        {
            Add(query, "limit", options.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (options?.Continue is { Length: > 0 } next)
        {
            Add(query, "continue", next);
        }

        return query.ToString();
    }

    public static string ForWatch(string resourceVersion, ListOptions? options)
    {
        var query = new StringBuilder();
        Add(query, "watch", "true");
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            Add(query, "resourceVersion", resourceVersion);
        }

        if (options?.AllowWatchBookmarks ?? true)
        {
            Add(query, "allowWatchBookmarks", "true");
        }

        if (options is { TimeoutSeconds: > 0 })
        {
            Add(query, "timeoutSeconds", options.TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Selectors(query, options);
        return query.ToString();
    }

    private static void Selectors(StringBuilder query, ListOptions? options)
    {
        if (options?.LabelSelector is { Length: > 0 } labels)
        {
            Add(query, "labelSelector", labels);
        }

        if (options?.FieldSelector is { Length: > 0 } fields)
        {
            Add(query, "fieldSelector", fields);
        }
    }

    private static void Add(StringBuilder query, string name, string value) =>
        query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
}
