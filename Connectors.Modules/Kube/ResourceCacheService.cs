using Connectors.Modules.Model;
using Microsoft.Extensions.Hosting;

namespace Connectors.Modules.Kube;

/// <summary>Runs one <see cref="ResourceCache{T}"/> for the life of the host.</summary>
internal sealed class ResourceCacheService<T>(ResourceCache<T> cache) : BackgroundService
    where T : class, IKubeObject
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => cache.RunAsync(stoppingToken);
}
