using Connectors.Modules.Model;
using Connectors.Modules.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Kube;

/// <summary>The Kube module's door: the API client, leader election and watch caches.</summary>
public static class KubeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="KubeClient"/> and <see cref="LeaderElector"/> as singletons, configured from the
    /// <c>Kube</c> section (<see cref="KubeOptions"/>), and a start-up check that fails with one line when the
    /// kubeconfig is malformed, the server unreachable or the credentials rejected.
    /// </summary>
    public static IServiceCollection AddKube(this IServiceCollection services)
    {
        services.AddOptions<KubeOptions>()
            .Configure<IConfiguration>((options, configuration) => KubeOptionsBinder.Bind(configuration, options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KubeOptions>, KubeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KubeOptions>, KubeOptionsAnnotationsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => KubeClientFactory.Create(
            sp.GetRequiredService<IOptions<KubeOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<LeaderElector>();
        services.AddHostedService<KubeStartupCheck>();
        if (!services.Any(d => d.ServiceType == typeof(KubeReachabilityService)))
        {
            services.AddSingleton<KubeReachabilityService>();
            services.AddHostedService(sp => sp.GetRequiredService<KubeReachabilityService>());
            services.AddSingleton<IReadinessCheck>(sp => sp.GetRequiredService<KubeReachabilityService>());
        }

        return services;
    }

    /// <summary>
    /// The watch cache of the feature flags: only ConfigMap <c>connectors-config</c> of the components namespace (the
    /// roles' RBAC reads ConfigMaps there and nowhere else). The first registration wins, so a process running several
    /// roles watches it once.
    /// </summary>
    public static IServiceCollection AddFeatureFlagsCache(this IServiceCollection services, Func<IServiceProvider, string> componentsNamespace)
    {
        services.TryAddSingleton(sp => new ResourceCacheOptions<ConfigMap>
        {
            Namespace = componentsNamespace(sp),
            FieldSelector = "metadata.name=" + WellKnown.ConfigMapName,
        });
        return services.AddKubeCache<ConfigMap>();
    }

    /// <summary>
    /// Registers a <see cref="ResourceCache{T}"/> singleton, runs it as a hosted service, and adds it to the
    /// <c>/readyz</c> checks. The Connector cache gets the <see cref="KubeIndexes"/> indexes by default.
    /// </summary>
    public static IServiceCollection AddKubeCache<T>(this IServiceCollection services, Action<ResourceCacheOptions<T>>? configure = null)
        where T : class, IKubeObject
    {
        services.AddKube();
        var options = new ResourceCacheOptions<T>();
        if (options is ResourceCacheOptions<Connector> connectors)
        {
            connectors.Indexers[KubeIndexes.ConnectorsByClass] = KubeIndexes.ClassOf;
            connectors.Indexers[KubeIndexes.ConnectorsBySecret] = KubeIndexes.SecretsOf;
        }

        configure?.Invoke(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton<ResourceCache<T>>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReadinessCheck, ResourceCache<T>>(sp => sp.GetRequiredService<ResourceCache<T>>()));
        services.AddHostedService<ResourceCacheService<T>>();
        return services;
    }
}
