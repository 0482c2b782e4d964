using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Csi;

/// <summary>
/// A watch cache of the one Secret <c>connectors-proxy-ca</c> in the components namespace. Private to the
/// driver (a field selector keeps it to one object), so it never narrows a Secret cache another role shares.
/// </summary>
internal sealed class ProxyCaCache : BackgroundService
{
    public ProxyCaCache(KubeClient client, IOptions<CsiOptions> options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        var cacheOptions = new ResourceCacheOptions<Secret>
        {
            Namespace = options.Value.ComponentsNamespace,
            FieldSelector = "metadata.name=" + WellKnown.ProxyCaSecretName,
        };
        Cache = new ResourceCache<Secret>(client, cacheOptions, time, loggerFactory.CreateLogger<ResourceCache<Secret>>());
    }

    public ResourceCache<Secret> Cache { get; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Cache.RunAsync(stoppingToken);
}
