using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Connectors.Modules.Kube;

/// <summary>Metrics of the Kube module (meter <c>Connectors.Kube</c>), exported on <c>/metrics</c>.</summary>
internal static class KubeMetrics
{
    private static readonly Meter Meter = new("Connectors.Kube");
    private static readonly ConcurrentDictionary<string, Func<int>> Caches = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Func<bool>> Electors = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<KubeReachability, bool> Reachabilities = new();

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "connectors.kube.requests", "{request}", "Kubernetes API requests by method and status code (0 when no answer).");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "connectors.kube.request.duration", "s", "Time to the answer's headers of Kubernetes API requests, by method.");

    private static readonly Counter<long> WatchRestarts = Meter.CreateCounter<long>(
        "connectors.kube.watch.restarts", "{restart}", "Watch cache restarts by kind and reason (gone: relist after 410; broken: reconnect).");

    static KubeMetrics()
    {
        Meter.CreateObservableGauge("connectors.kube.cache.objects", () => Caches.Select(c => new Measurement<int>(c.Value(), new KeyValuePair<string, object?>("resource", c.Key))), "{object}", "Objects held by each watch cache.");
        Meter.CreateObservableGauge("connectors.kube.api.reachable", () => Reachabilities.IsEmpty ? [] : new[] { new Measurement<int>(Reachabilities.Keys.All(r => r.IsReachable) ? 1 : 0) }, null,
            "1 while the Kubernetes API answers, 0 during an outage (the proxy and the CSI driver then fail closed).");
        Meter.CreateObservableGauge("connectors.kube.leader", () => Electors.Select(e => new Measurement<int>(e.Value() ? 1 : 0, new KeyValuePair<string, object?>("lease", e.Key))), null, "1 while this instance holds the Lease.");
    }

    public static void Request(string method, int code, TimeSpan elapsed)
    {
        Requests.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("code", code));
        Duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("method", method));
    }

    public static void WatchRestart(string resource, string reason) =>
        WatchRestarts.Add(1, new KeyValuePair<string, object?>("resource", resource), new KeyValuePair<string, object?>("reason", reason));

    public static void TrackCache(string resource, Func<int> count) => Caches[resource] = count;

    public static void TrackReachability(KubeReachability reachability) => Reachabilities[reachability] = true;

    public static void ForgetReachability(KubeReachability reachability) => Reachabilities.TryRemove(reachability, out _);

    public static void TrackElector(string lease, Func<bool> isLeader) => Electors[lease] = isLeader;
}
