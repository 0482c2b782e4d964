using Connectors.Modules.Credentials;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Connectors.Modules.Observability;
using Connectors.Modules.Registry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Proxy;

/// <summary>The Proxy module's door: listener, routing, access checks, TLS interception and the forwarder.</summary>
public static class ProxyServiceCollectionExtensions
{
    /// <summary>
    /// Registers the proxy with its Kubernetes sources: watch caches of Connectors, ConnectorClasses, Secrets and the
    /// <c>connectors-config</c> ConfigMap, and TokenReview/SubjectAccessReview through the API client.
    /// </summary>
    public static IServiceCollection AddProxy(this IServiceCollection services)
    {
        services.AddKubeCache<Connector>();
        services.AddKubeCache<ConnectorClass>();
        services.AddKubeCache<Secret>();
        services.AddFeatureFlagsCache(sp => sp.GetRequiredService<IOptions<ProxyOptions>>().Value.ComponentsNamespace);
        services.TryAddSingleton<IConnectorDirectory, KubeConnectorDirectory>();
        services.TryAddSingleton<IAccessReviewClient, KubeAccessReviewClient>();
        return services.AddProxyCore();
    }

    /// <summary>Everything but the sources: callers (tests) register <see cref="IConnectorDirectory"/> and <see cref="IAccessReviewClient"/>.</summary>
    internal static IServiceCollection AddProxyCore(this IServiceCollection services)
    {
        services.AddOptions<ProxyOptions>()
            .BindConfiguration(ProxyOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (configuration["Components:Namespace"] is { Length: > 0 } ns)
                {
                    options.ComponentsNamespace = ns;
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>());
        services.AddCredentials();
        services.AddRegistry();
        services.TryAddSingleton<RegistryUpstreamAuth>();
        services.TryAddSingleton<RegistryRoutes>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AccessReviewer>();
        services.TryAddSingleton<ProxyAccess>();
        services.TryAddSingleton<UpstreamClients>();
        services.TryAddSingleton<ProxyMetrics>();
        services.TryAddSingleton<ProxyCertificateAuthority>();
        services.TryAddSingleton<ProxyCaPool>();
        services.TryAddSingleton<AccessLog>();
        // Registered before the listener: hosted services stop in reverse order, so the log drains last.
        services.AddHostedService(sp => sp.GetRequiredService<AccessLog>());
        services.TryAddSingleton<ConnectMiddleware>();
        services.AddHttpForwarder();
        // YARP logs every forward at Information and every failure at Warning; UpstreamSender logs failures itself.
        services.Configure<LoggerFilterOptions>(filters => filters.AddFilter("Yarp", LogLevel.Error));
        services.TryAddSingleton<UpstreamSender>();
        services.TryAddSingleton<ProxyPipeline>();
        services.TryAddSingleton<ProxyServer>();
        services.AddSingleton<IReadinessCheck>(sp => sp.GetRequiredService<ProxyServer>());
        services.AddHostedService(sp => sp.GetRequiredService<ProxyServer>());
        return services;
    }
}
