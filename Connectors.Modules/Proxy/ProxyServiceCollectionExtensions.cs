using Connectors.Modules.Credentials;
using Connectors.Modules.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Connectors.Modules.Proxy;

/// <summary>The Proxy module's door: listener, routing, access checks, TLS interception and the forwarder.</summary>
public static class ProxyServiceCollectionExtensions
{
    /// <summary>
    /// Registers the proxy. The caller also registers where Connectors come from and how tokens are reviewed
    /// (the Kube-backed implementations, or in-process ones in tests).
    /// </summary>
    public static IServiceCollection AddProxy(this IServiceCollection services)
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
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddCredentials();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AccessReviewer>();
        services.TryAddSingleton<ProxyAccess>();
        services.TryAddSingleton<UpstreamClients>();
        services.TryAddSingleton<ProxyMetrics>();
        services.TryAddSingleton<ProxyCertificateAuthority>();
        services.TryAddSingleton<ConnectMiddleware>();
        services.TryAddSingleton<ProxyPipeline>();
        services.TryAddSingleton<ProxyServer>();
        services.AddSingleton<IReadinessCheck>(sp => sp.GetRequiredService<ProxyServer>());
        services.AddHostedService(sp => sp.GetRequiredService<ProxyServer>());
        return services;
    }
}
