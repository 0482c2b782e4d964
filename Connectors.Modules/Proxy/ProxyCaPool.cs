using Connectors.Modules.Model;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Proxy;

/// <summary>
/// The cluster-wide CA pool the proxy trusts for every Connector while flag <c>enable-custom-ca-certs</c> is on:
/// the components namespace's Secrets labelled <c>connectors.cpaas.io/ca-cert: "true"</c>. Read again at most every
/// <see cref="RefreshInterval"/> (the original keeps its transports 5 minutes), so requests do not list Secrets.
/// </summary>
internal sealed class ProxyCaPool(IConnectorDirectory directory, IOptions<ProxyOptions> options, TimeProvider timeProvider)
{
    /// <summary>How long a read pool is used before the flag and the labelled Secrets are read again.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private volatile Snapshot? _snapshot;

    /// <summary>The pool now (null = flag off or no usable labelled Secret).</summary>
    public CaBundle? Current
    {
        get
        {
            var now = timeProvider.GetTimestamp();
            var snapshot = _snapshot;
            if (snapshot is null || timeProvider.GetElapsedTime(snapshot.ReadAt, now) >= RefreshInterval)
            {
                snapshot = new Snapshot(Read(), now);
                _snapshot = snapshot;
            }

            return snapshot.Pool;
        }
    }

    private CaBundle? Read()
    {
        var ns = options.Value.ComponentsNamespace;
        return FeatureFlags.IsEnabled(directory.GetConfigMap(ns, WellKnown.ConfigMapName), FeatureFlags.CustomCaCerts)
            ? CaBundle.Pool(directory.ListSecrets(ns))
            : null;
    }

    private sealed record Snapshot(CaBundle? Pool, long ReadAt);
}
