using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// JSON merge patch (RFC 7386) and the strategic-merge-patch approximation (see <c>docs/decisions.md</c>,
/// "Embedded"): objects merge, null deletes, lists replace, except that kubectl's directives are honoured:
/// <c>$setElementOrder/field</c> rebuilds a list by merge key (or value, for primitives) from the original and
/// patch elements, <c>$deleteFromPrimitiveList/field</c> removes values, <c>$patch: delete|replace</c> and
/// <c>$retainKeys</c> work on maps.
/// </summary>
internal static class MergePatch
{
    /// <summary>Applies <paramref name="patch"/> to a copy of <paramref name="target"/>.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch, bool strategic)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        if (strategic && (string?)patchObject["$patch"] is "replace")
        {
            var replaced = (JsonObject)patchObject.DeepClone();
            replaced.Remove("$patch");
            return replaced;
        }

        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        if (strategic && patchObject["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => (string?)k).ToHashSet();
            foreach (var key in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }

        foreach (var (key, value) in patchObject)
        {
            if (strategic && key.StartsWith('$'))
            {
                continue;
            }

            if (value is null)
            {
                result.Remove(key);
            }
            else if (strategic && value is JsonObject { } child && (string?)child["$patch"] is "delete")
            {
                result.Remove(key);
            }
            else if (strategic && value is JsonArray list && (patchObject["$setElementOrder/" + key] is JsonArray || patchObject["$deleteFromPrimitiveList/" + key] is JsonArray))
            {
                result[key] = MergeList(result[key] as JsonArray, list, patchObject["$setElementOrder/" + key] as JsonArray, patchObject["$deleteFromPrimitiveList/" + key] as JsonArray);
            }
            else
            {
                result[key] = Apply(result[key], value, strategic);
            }
        }

        // Directives that name a list the patch does not otherwise touch (element removal, reordering).
        if (strategic)
        {
            foreach (var (key, value) in patchObject.Where(p => p.Key.StartsWith("$setElementOrder/", StringComparison.Ordinal) || p.Key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal)).ToList())
            {
                var field = key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..];
                if (!patchObject.ContainsKey(field) && result[field] is JsonArray existing)
                {
                    result[field] = MergeList(existing, [], patchObject["$setElementOrder/" + field] as JsonArray, patchObject["$deleteFromPrimitiveList/" + field] as JsonArray);
                }
            }
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray? original, JsonArray patch, JsonArray? order, JsonArray? deletions)
    {
        original ??= [];
        var mergeKey = order?.OfType<JsonObject>().FirstOrDefault()?.Select(p => p.Key).FirstOrDefault(k => !k.StartsWith('$'));
        if (mergeKey is null)
        {
            // Primitive list: the union in the given order, minus deletions.
            var removed = deletions?.Select(Key).ToHashSet() ?? [];
            var values = original.Concat(patch).Where(v => !removed.Contains(Key(v))).DistinctBy(Key).ToList();
            if (order is not null)
            {
                var rank = order.Select((v, i) => (Key(v), i)).ToDictionary(p => p.Item1, p => p.i);
                values = [.. values.OrderBy(v => rank.GetValueOrDefault(Key(v), int.MaxValue))];
            }

            return new JsonArray([.. values.Select(v => v?.DeepClone())]);
        }

        var byKey = original.OfType<JsonObject>().ToDictionary(o => Key(o[mergeKey]), o => (JsonNode)o);
        foreach (var element in patch.OfType<JsonObject>())
        {
            var key = Key(element[mergeKey]);
            if ((string?)element["$patch"] is "delete")
            {
                byKey.Remove(key);
            }
            else
            {
                byKey[key] = Apply(byKey.GetValueOrDefault(key), element, strategic: true)!;
            }
        }

        var keys = order!.OfType<JsonObject>().Select(o => Key(o[mergeKey])).ToList();
        keys.AddRange(byKey.Keys.Where(k => !keys.Contains(k)));
        return new JsonArray([.. keys.Where(byKey.ContainsKey).Select(k => byKey[k].DeepClone())]);
    }

    private static string Key(JsonNode? node) => node?.ToJsonString() ?? "null";
}
