using System.Globalization;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// Create, update, patch and delete against the store, atomically under its lock: preconditions, no-op
/// detection (an unchanged write keeps its resourceVersion and emits no event), finalizers, namespace deletion
/// and ownerReference garbage collection (synchronous, where the real collector is eventually consistent).
/// </summary>
internal sealed class ResourceWrites(ObjectStore store, TimeProvider time, TimeSpan namespaceFinalizeDelay) : IDisposable
{
    private readonly Dictionary<string, ITimer> _terminating = [];
    private int _nextServiceIp = 10;

    /// <summary>Cancels pending namespace terminations (the server is going away).</summary>
    public void Dispose()
    {
        lock (store.Sync)
        {
            foreach (var timer in _terminating.Values)
            {
                timer.Dispose();
            }

            _terminating.Clear();
        }
    }

    public JsonObject Create(ResourceType type, string? ns, JsonObject body, bool dryRun)
    {
        lock (store.Sync)
        {
            if (type.Namespaced)
            {
                RequireNamespace(ns!);
            }

            var obj = ObjectRules.PrepareCreate(type, ns, body, time.GetUtcNow());
            var name = (string)obj["metadata"]!["name"]!;
            if (store.Get(type, ns, name) is not null)
            {
                throw ApiError.AlreadyExists(type, name);
            }

            if (type == ResourceRegistry.Services && obj["spec"] is JsonObject spec && spec["clusterIP"] is null && (string?)spec["type"] != "ExternalName")
            {
                var ip = $"10.96.{_nextServiceIp / 250}.{(_nextServiceIp % 250) + 1}";
                _nextServiceIp++;
                spec["clusterIP"] = ip;
                spec["clusterIPs"] = new JsonArray(ip);
            }

            if (dryRun)
            {
                return obj;
            }

            var stored = store.Put(type, obj);
            if (type == ResourceRegistry.Namespaces)
            {
                // The ServiceAccount controller's job: every namespace gets a "default" ServiceAccount.
                var sa = ObjectRules.PrepareCreate(ResourceRegistry.ServiceAccounts, name, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } }, time.GetUtcNow());
                store.Put(ResourceRegistry.ServiceAccounts, sa);
            }

            return stored.Clone();
        }
    }

    public JsonObject Update(ResourceType type, string? ns, string name, JsonObject body, string? subresource, bool dryRun)
    {
        lock (store.Sync)
        {
            var current = store.Get(type, ns, name) ?? throw ApiError.NotFound(type, name);
            return Commit(current, ObjectRules.PrepareUpdate(current, body, subresource), dryRun);
        }
    }

    /// <summary>Applies a merge, strategic merge or JSON patch to the stored object, then updates it.</summary>
    public JsonObject Patch(ResourceType type, string? ns, string name, PatchKind kind, JsonNode? patch, string? subresource, bool dryRun)
    {
        lock (store.Sync)
        {
            var current = store.Get(type, ns, name) ?? throw ApiError.NotFound(type, name);
            var patched = kind == PatchKind.Json
                ? JsonPatch.Apply(current.Clone(), patch)
                : MergePatch.Apply(current.Clone(), patch, strategic: kind == PatchKind.Strategic);
            if (patched is not JsonObject obj)
            {
                throw ApiError.Invalid(type, name, "", "Invalid value: the patch does not produce an object");
            }

            if (obj["metadata"] is JsonObject metadata && string.IsNullOrEmpty((string?)metadata["resourceVersion"]))
            {
                // A patch is unconditional unless it names a resourceVersion itself.
                metadata["resourceVersion"] = current.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            }

            return Commit(current, ObjectRules.PrepareUpdate(current, obj, subresource), dryRun);
        }
    }

    /// <summary>Deletes one object: 200 with its last state, or 202 when finalizers hold it (deletionTimestamp set).</summary>
    public (JsonObject Result, int Status) Delete(ResourceType type, string? ns, string name, DeleteOptions options)
    {
        lock (store.Sync)
        {
            var current = store.Get(type, ns, name) ?? throw ApiError.NotFound(type, name);
            if (options.PreconditionUid is { Length: > 0 } uid && uid != current.Uid)
            {
                throw ApiError.Conflict(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid}");
            }

            if (options.PreconditionResourceVersion is { Length: > 0 } rv && rv != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiError.Conflict(type, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {current.ResourceVersion}");
            }

            if (options.DryRun)
            {
                return (current.Clone(), 200);
            }

            return DeleteOrMark(current, options.Orphan);
        }
    }

    public JsonObject DeleteCollection(ResourceType type, string? ns, Func<JsonObject, bool> filter, DeleteOptions options)
    {
        lock (store.Sync)
        {
            var items = new JsonArray();
            foreach (var obj in store.List(type, ns).Where(o => filter(o.Node)).ToList())
            {
                items.Add((JsonNode)(options.DryRun ? obj.Clone() : DeleteOrMark(obj, options.Orphan).Result));
            }

            return new JsonObject
            {
                ["kind"] = type.ListKind,
                ["apiVersion"] = type.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = store.Revision.ToString(CultureInfo.InvariantCulture) },
                ["items"] = items,
            };
        }
    }

    public void RequireNamespace(string ns)
    {
        var namespaceObject = store.Get(ResourceRegistry.Namespaces, null, ns) ?? throw ApiError.NotFound(ResourceRegistry.Namespaces, ns);
        if (namespaceObject.Node["metadata"]?["deletionTimestamp"] is not null)
        {
            throw ApiError.Forbidden($"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    private JsonObject Commit(StoredObject current, JsonObject next, bool dryRun)
    {
        if (JsonNode.DeepEquals(current.Node, next))
        {
            return current.Clone();
        }

        if (dryRun)
        {
            return next;
        }

        var stored = store.Put(current.Type, next);
        if (stored.Node["metadata"]?["deletionTimestamp"] is not null && stored.Node["metadata"]?["finalizers"] is not JsonArray { Count: > 0 })
        {
            RemoveNow(stored, orphan: false);
        }

        return stored.Clone();
    }

    private (JsonObject Result, int Status) DeleteOrMark(StoredObject current, bool orphan)
    {
        if (current.Node["metadata"]?["finalizers"] is JsonArray { Count: > 0 })
        {
            if (current.Node["metadata"]?["deletionTimestamp"] is not null)
            {
                return (current.Clone(), 202);
            }

            var marked = current.Clone();
            marked["metadata"]!["deletionTimestamp"] = ObjectRules.Timestamp(time.GetUtcNow());
            marked["metadata"]!["deletionGracePeriodSeconds"] = 0;
            return (store.Put(current.Type, marked).Clone(), 202);
        }

        if (current.Type == ResourceRegistry.Namespaces && namespaceFinalizeDelay > TimeSpan.Zero)
        {
            return (Terminate(current), 200);
        }

        return (RemoveNow(current, orphan).Clone(), 200);
    }

    /// <summary>
    /// Like the namespace controller: the namespace turns Terminating (no new objects, deletes still work), and
    /// after <c>namespaceFinalizeDelay</c> its objects and then the namespace itself are removed.
    /// </summary>
    private JsonObject Terminate(StoredObject ns)
    {
        if (ns.Node["metadata"]?["deletionTimestamp"] is not null)
        {
            return ns.Clone();
        }

        var marked = ns.Clone();
        marked["metadata"]!["deletionTimestamp"] = ObjectRules.Timestamp(time.GetUtcNow());
        marked["metadata"]!["deletionGracePeriodSeconds"] = 0;
        marked["status"] = new JsonObject { ["phase"] = "Terminating" };
        var stored = store.Put(ns.Type, marked);
        var uid = ns.Uid;
        _terminating[uid] = time.CreateTimer(_ => FinishTermination(ns.Name, uid), null, namespaceFinalizeDelay, Timeout.InfiniteTimeSpan);
        return stored.Clone();
    }

    private void FinishTermination(string name, string uid)
    {
        lock (store.Sync)
        {
            if (_terminating.Remove(uid, out var timer))
            {
                timer.Dispose();
            }

            if (store.Get(ResourceRegistry.Namespaces, null, name) is { } ns && ns.Uid == uid)
            {
                RemoveNow(ns, orphan: false);
            }
        }
    }

    private StoredObject RemoveNow(StoredObject obj, bool orphan)
    {
        var last = store.Remove(obj);
        if (obj.Type == ResourceRegistry.Namespaces)
        {
            // The namespace controller's job, done at once: everything in the namespace goes, finalizers or not.
            foreach (var contained in store.All().Where(o => o.Type.Namespaced && o.Namespace == obj.Name).ToList())
            {
                if (store.Get(contained.Type, contained.Namespace, contained.Name) is { } still && still.Uid == contained.Uid)
                {
                    RemoveNow(still, orphan: false);
                }
            }
        }

        CollectGarbage(obj.Uid, orphan);
        return last;
    }

    private void CollectGarbage(string ownerUid, bool orphan)
    {
        static IEnumerable<JsonObject> Owners(StoredObject o) =>
            (o.Node["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>() ?? [];

        var dependents = store.All().Where(o => Owners(o).Any(r => (string?)r["uid"] == ownerUid)).ToList();
        if (dependents.Count == 0)
        {
            return;
        }

        var alive = store.All().Select(o => o.Uid).ToHashSet();
        foreach (var dependent in dependents)
        {
            if (store.Get(dependent.Type, dependent.Namespace, dependent.Name) is not { } current || current.Uid != dependent.Uid)
            {
                continue;
            }

            var others = Owners(current).Where(r => (string?)r["uid"] != ownerUid).ToList();
            if (orphan || others.Any(r => alive.Contains((string?)r["uid"] ?? "")))
            {
                var updated = current.Clone();
                var kept = new JsonArray([.. others.Select(r => r.DeepClone())]);
                if (kept.Count == 0)
                {
                    updated["metadata"]!.AsObject().Remove("ownerReferences");
                }
                else
                {
                    updated["metadata"]!["ownerReferences"] = kept;
                }

                store.Put(current.Type, updated);
            }
            else
            {
                DeleteOrMark(current, orphan: false);
            }
        }
    }
}

/// <summary>The PATCH content types the embedded API accepts.</summary>
internal enum PatchKind
{
    Merge,
    Strategic,
    Json,
}
