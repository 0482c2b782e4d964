using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>Get and list against the store: selectors, limit/continue paging, and 410 for compacted versions.</summary>
internal sealed class ResourceReads(ObjectStore store)
{
    public JsonObject Get(ResourceType type, string? ns, string name)
    {
        lock (store.Sync)
        {
            return (store.Get(type, ns, name) ?? throw ApiError.NotFound(type, name)).Clone();
        }
    }

    /// <summary>
    /// One page of a list. Pages after the first are served from the current state after the last key returned
    /// (not from a snapshot), and carry the first page's resourceVersion.
    /// </summary>
    public ListPage List(ResourceType type, string? ns, ListQuery query)
    {
        lock (store.Sync)
        {
            var revision = store.Revision;
            var start = (Namespace: "", Name: "");
            var hasStart = false;
            if (query.Continue is { } token)
            {
                var (rv, startNs, startName) = ListQuery.DecodeContinue(token);
                if (rv < store.CompactedRevision)
                {
                    throw ApiError.Gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
                }

                (revision, start, hasStart) = (rv, (startNs, startName), true);
            }
            else if (query.Revision() is { } rv && rv < store.CompactedRevision)
            {
                throw store.Gone(rv);
            }

            var matching = store.List(type, ns)
                .Where(o => !hasStart || Compare((o.Namespace ?? "", o.Name), start) > 0)
                .Where(o => query.Matches(o.Node))
                .ToList();
            if (query.Limit is { } limit && matching.Count > limit)
            {
                var page = matching.Take(limit).ToList();
                var last = page[^1];
                return new ListPage(page, revision, ListQuery.EncodeContinue(revision, last.Namespace, last.Name), matching.Count - limit);
            }

            return new ListPage(matching, revision, null, null);
        }
    }

    private static int Compare((string Namespace, string Name) a, (string Namespace, string Name) b)
    {
        var c = string.CompareOrdinal(a.Namespace, b.Namespace);
        return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
    }
}

/// <summary>A list answer: the items, the list's resourceVersion, and the continue token with the remaining count.</summary>
internal sealed record ListPage(IReadOnlyList<StoredObject> Items, long Revision, string? Continue, long? Remaining);
