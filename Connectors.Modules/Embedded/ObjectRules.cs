using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// What the apiserver's registry strategies do to an object on create and update: type and object metadata,
/// uid, timestamps, generation, the status subresource split, Secret <c>stringData</c>, and validation.
/// </summary>
internal static class ObjectRules
{
    /// <summary>The Kubernetes timestamp format (RFC 3339, seconds, UTC).</summary>
    public static string Timestamp(DateTimeOffset time) => Model.KubeTimeConverter.Format(time);

    /// <summary>Completes <paramref name="body"/> (a private copy) into the object a create stores.</summary>
    public static JsonObject PrepareCreate(ResourceType type, string? ns, JsonObject body, DateTimeOffset now)
    {
        CheckTypeMeta(type, body);
        var metadata = Metadata(body);
        CheckNamespace(type, ns, metadata);
        if (string.IsNullOrEmpty((string?)metadata["name"]))
        {
            if ((string?)metadata["generateName"] is { Length: > 0 } prefix)
            {
                metadata["name"] = prefix + RandomSuffix();
            }
            else
            {
                throw ApiError.Invalid(type, "", "metadata.name", "Required value: name or generateName is required");
            }
        }

        metadata.Remove("managedFields");
        metadata.Remove("selfLink");
        metadata.Remove("resourceVersion");
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Timestamp(now);
        if (type.HasSpec)
        {
            metadata["generation"] = 1;
        }
        else
        {
            metadata.Remove("generation");
        }

        if (type.HasStatus)
        {
            body.Remove("status");
        }

        if (type == ResourceRegistry.Namespaces)
        {
            body["status"] = new JsonObject { ["phase"] = "Active" };
        }

        KindRules.Normalize(type, body, null);
        Validate(type, body);
        return Canonical(body);
    }

    /// <summary>
    /// The object an update of <paramref name="current"/> with <paramref name="body"/> stores (a private copy of
    /// the request body). <paramref name="subresource"/> <c>status</c> keeps everything but status.
    /// </summary>
    public static JsonObject PrepareUpdate(StoredObject current, JsonObject body, string? subresource)
    {
        var type = current.Type;
        CheckTypeMeta(type, body);
        var metadata = Metadata(body);
        if ((string?)metadata["name"] is { } name && name != current.Name)
        {
            throw ApiError.BadRequest($"the name of the object ({name}) does not match the name on the URL ({current.Name})");
        }

        CheckNamespace(type, current.Namespace, metadata);
        var requested = (string?)metadata["resourceVersion"];
        if (string.IsNullOrEmpty(requested))
        {
            if (type.Custom)
            {
                throw ApiError.Invalid(type, current.Name, "metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update");
            }
        }
        else if (requested != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw ApiError.Conflict(type, current.Name);
        }

        var old = current.Node;
        JsonObject next;
        if (subresource == "status")
        {
            next = (JsonObject)old.DeepClone();
            SetOrRemove(next, "status", body["status"]?.DeepClone());
        }
        else
        {
            next = body;
            var meta = Metadata(next);
            var oldMeta = old["metadata"]!.AsObject();
            foreach (var key in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
            {
                SetOrRemove(meta, key, oldMeta[key]?.DeepClone());
            }

            meta.Remove("managedFields");
            meta.Remove("selfLink");
            meta.Remove("generateName");
            if (oldMeta["generateName"] is { } generateName)
            {
                meta["generateName"] = generateName.DeepClone();
            }

            if (type.HasStatus)
            {
                SetOrRemove(next, "status", old["status"]?.DeepClone());
            }

            if (type.HasSpec && !SameSpec(old, next))
            {
                meta["generation"] = ((long?)oldMeta["generation"] ?? 0) + 1;
            }

            KindRules.Normalize(type, next, old);
        }

        next["metadata"]!["resourceVersion"] = current.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        Validate(type, next);
        return Canonical(next);
    }

    /// <summary>apiVersion, kind and metadata first, then the rest in the order given (as the apiserver writes objects).</summary>
    private static JsonObject Canonical(JsonObject obj)
    {
        var properties = obj.ToList();
        obj.Clear();
        var ordered = new JsonObject();
        foreach (var key in new[] { "apiVersion", "kind", "metadata" })
        {
            ordered[key] = properties.FirstOrDefault(p => p.Key == key).Value;
        }

        foreach (var (key, value) in properties.Where(p => p.Key is not ("apiVersion" or "kind" or "metadata")))
        {
            ordered[key] = value;
        }

        return ordered;
    }

    private static void CheckTypeMeta(ResourceType type, JsonObject body)
    {
        if ((string?)body["apiVersion"] is { Length: > 0 } apiVersion && apiVersion != type.ApiVersion)
        {
            throw ApiError.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }

        if ((string?)body["kind"] is { Length: > 0 } kind && kind != type.Kind)
        {
            throw ApiError.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }

        body["apiVersion"] = type.ApiVersion;
        body["kind"] = type.Kind;
    }

    private static JsonObject Metadata(JsonObject body)
    {
        switch (body["metadata"])
        {
            case JsonObject metadata:
                return metadata;
            case null:
                var created = new JsonObject();
                body["metadata"] = created;
                return created;
            default:
                throw ApiError.BadRequest("metadata must be an object");
        }
    }

    private static void CheckNamespace(ResourceType type, string? ns, JsonObject metadata)
    {
        if (!type.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }

        if ((string?)metadata["namespace"] is { Length: > 0 } given && given != ns)
        {
            throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        metadata["namespace"] = ns;
    }

    private static bool SameSpec(JsonObject old, JsonObject next)
    {
        static IEnumerable<KeyValuePair<string, JsonNode?>> Body(JsonObject o) =>
            o.Where(p => p.Key is not ("metadata" or "status" or "apiVersion" or "kind")).OrderBy(p => p.Key, StringComparer.Ordinal);

        var a = Body(old).ToList();
        var b = Body(next).ToList();
        return a.Count == b.Count && a.Zip(b).All(p => p.First.Key == p.Second.Key && JsonNode.DeepEquals(p.First.Value, p.Second.Value));
    }

    private static void SetOrRemove(JsonObject target, string key, JsonNode? value)
    {
        if (value is null)
        {
            target.Remove(key);
        }
        else
        {
            target[key] = value;
        }
    }

    private static void Validate(ResourceType type, JsonObject obj)
    {
        var metadata = obj["metadata"]!.AsObject();
        var name = (string?)metadata["name"] ?? "";
        if (Names.Problem(type, name) is { } problem)
        {
            throw ApiError.Invalid(type, name, "metadata.name", $"Invalid value: \"{name}\": {problem}");
        }

        foreach (var field in new[] { "labels", "annotations" })
        {
            if (metadata[field] is null)
            {
                continue;
            }

            if (metadata[field] is not JsonObject map || map.Any(p => p.Value is not JsonValue v || !v.TryGetValue<string>(out _)))
            {
                throw ApiError.BadRequest($"metadata.{field} must be a map of strings");
            }

            if (field == "labels" && map.Select(p => Names.LabelProblem(p.Key, (string)p.Value!)).FirstOrDefault(p => p is not null) is { } labelProblem)
            {
                throw ApiError.Invalid(type, name, "metadata.labels", labelProblem);
            }
        }

        if (metadata["ownerReferences"] is JsonArray owners)
        {
            foreach (var owner in owners)
            {
                foreach (var required in new[] { "apiVersion", "kind", "name", "uid" })
                {
                    if (string.IsNullOrEmpty((string?)owner?[required]))
                    {
                        throw ApiError.Invalid(type, name, $"metadata.ownerReferences.{required}", "Required value");
                    }
                }
            }
        }

        KindRules.Validate(type, obj, name);
    }

    private static string RandomSuffix()
    {
        const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var builder = new StringBuilder(5);
        for (var i = 0; i < 5; i++)
        {
            builder.Append(Alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(Alphabet.Length)]);
        }

        return builder.ToString();
    }
}
