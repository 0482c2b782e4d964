using Connectors.Modules.Kube;
using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>
/// What queues what: a Connector's own spec changes, a referenced Secret changing (via the by-Secret index, so a
/// rotated credential is probed at once), its class changing or appearing, the proxy or API Service of a class
/// appearing or going, its <c>c-&lt;name&gt;</c> Service being changed or deleted, and the feature flags changing. Status-only changes (the
/// controller's own writes) queue nothing, so status patches cannot loop.
/// </summary>
internal static class ControllerTriggers
{
    public static void Register(ControllerCaches caches, ControllerLoops loops, string componentsNamespace)
    {
        var connectors = loops.Connectors.Queue;
        var classes = loops.Classes.Queue;
        void AddConnector(Connector c) => connectors.Add(new ObjectKey(c.Metadata.Namespace ?? string.Empty, c.Metadata.Name!));
        void AddClass(string name)
        {
            classes.Add(new ObjectKey(string.Empty, name));
            foreach (var connector in caches.Connectors.ByIndex(KubeIndexes.ConnectorsByClass, name))
            {
                AddConnector(connector);
            }
        }

        void AddBySecret(Secret s)
        {
            foreach (var connector in caches.Connectors.ByIndex(KubeIndexes.ConnectorsBySecret, $"{s.Metadata.Namespace}/{s.Metadata.Name}"))
            {
                AddConnector(connector);
            }
        }

        void AddAll()
        {
            foreach (var connector in caches.Connectors.List())
            {
                AddConnector(connector);
            }
        }

        // A c-<name> Service appearing is (almost always) the controller's own create: only a change or a delete
        // of it queues its Connector, or every Connector would be probed twice on its first reconcile.
        void AddByService(Service s, bool owner)
        {
            foreach (var connectorClass in caches.Classes.List().Where(c => References(c, s, componentsNamespace)))
            {
                AddClass(connectorClass.Metadata.Name!);
            }

            if (owner && s.Metadata.Name!.StartsWith(ConnectorService.NamePrefix, StringComparison.Ordinal)
                && s.Metadata.Labels?.GetValueOrDefault(ConnectorService.ManagedByLabel) == ConnectorService.ManagedBy)
            {
                connectors.Add(new ObjectKey(s.Metadata.Namespace ?? string.Empty, s.Metadata.Name[ConnectorService.NamePrefix.Length..]));
            }
        }

        caches.Connectors.OnAdd(AddConnector);
        caches.Connectors.OnUpdate((old, now) =>
        {
            if (Changed(old, now, o => ModelJson.Serialize(o.Spec)) || (old.Status is not null && now.Status is null))
            {
                AddConnector(now);
            }
        });
        caches.Connectors.OnDelete(AddConnector);
        caches.Classes.OnAdd(c => AddClass(c.Metadata.Name!));
        caches.Classes.OnUpdate((old, now) =>
        {
            if (Changed(old, now, o => ModelJson.Serialize(o.Spec)) || (old.Status is not null && now.Status is null))
            {
                AddClass(now.Metadata.Name!);
            }
        });
        caches.Classes.OnDelete(c => AddClass(c.Metadata.Name!));
        // A Secret of the cluster-wide CA pool (components namespace, labelled) changes what every Connector trusts.
        bool InPool(Secret s) => s.Metadata.Namespace == componentsNamespace && CaBundle.IsPoolMember(s);
        caches.Secrets.OnAdd(s =>
        {
            AddBySecret(s);
            if (InPool(s))
            {
                AddAll();
            }
        });
        caches.Secrets.OnUpdate((old, now) =>
        {
            if (Changed(old, now, Fingerprint) || !SameMap(old.Metadata.Labels, now.Metadata.Labels))
            {
                AddBySecret(now);
                if (InPool(old) || InPool(now))
                {
                    AddAll();
                }
            }
        });
        caches.Secrets.OnDelete(s =>
        {
            AddBySecret(s);
            if (InPool(s))
            {
                AddAll();
            }
        });
        caches.Services.OnAdd(s => AddByService(s, owner: false));
        caches.Services.OnUpdate((old, now) =>
        {
            if (old.Spec?.ExternalName != now.Spec?.ExternalName || old.Spec?.Type != now.Spec?.Type || old.Spec?.Ports?.FirstOrDefault()?.Port != now.Spec?.Ports?.FirstOrDefault()?.Port)
            {
                AddByService(now, owner: true);
            }
        });
        caches.Services.OnDelete(s => AddByService(s, owner: true));

        // A feature flag (connectors-config) changing: every Connector, so CACertReady appears or goes at once.
        caches.Flags.OnAdd(_ => AddAll());
        caches.Flags.OnUpdate((old, now) =>
        {
            if (!SameMap(old.Data, now.Data))
            {
                AddAll();
            }
        });
        caches.Flags.OnDelete(_ => AddAll());
    }

    private static bool Changed<T>(T old, T now, Func<T, string> spec)
        where T : IKubeObject =>
        old.Metadata.Generation != now.Metadata.Generation
        || old.Metadata.DeletionTimestamp != now.Metadata.DeletionTimestamp
        || !SameMap(old.Metadata.Annotations, now.Metadata.Annotations)
        || spec(old) != spec(now);

    private static string Fingerprint(Secret secret) =>
        secret.Type + "|" + string.Join("|", (secret.Data ?? []).OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Key + "=" + Convert.ToBase64String(d.Value)))
        + "|" + string.Join("|", (secret.StringData ?? []).OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Key + "=" + d.Value));

    private static bool SameMap(Dictionary<string, string>? a, Dictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? []).All(kv => b!.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static bool References(ConnectorClass connectorClass, Service service, string componentsNamespace)
    {
        bool Matches(ServiceRef? r) => r is not null && r.Name == service.Metadata.Name
            && (string.IsNullOrEmpty(r.Namespace) ? componentsNamespace : r.Namespace) == service.Metadata.Namespace;
        return Matches(connectorClass.Spec.Proxy?.Ref) || Matches(connectorClass.Spec.Api?.Ref);
    }
}
