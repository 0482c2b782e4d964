using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Connectors.Modules.Observability;
using Connectors.Modules.Templates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Csi;

/// <summary>The Csi module's door: the <c>connectors-csi</c> node driver on its unix socket.</summary>
public static class CsiServiceCollectionExtensions
{
    /// <summary>
    /// Adds the driver: options from section <c>Csi</c> (and <c>Components:Namespace</c>), the gRPC listener as
    /// a hosted service and readiness check. Kubernetes access comes from the Kube module (watch caches and the API
    /// client) unless an <see cref="ICsiKube"/> is already registered; the Go and Handlebars engines from the Templates module.
    /// </summary>
    public static IServiceCollection AddCsi(this IServiceCollection services)
    {
        services.AddOptions<CsiOptions>()
            .BindConfiguration(CsiOptions.SectionName)
            .PostConfigure<IConfiguration>((o, configuration) =>
            {
                if (configuration["Components:Namespace"] is { Length: > 0 } ns)
                {
                    o.ComponentsNamespace = ns;
                }
            })
            .Validate(o => IsEndpoint(o.Endpoint), "Csi:Endpoint must be unix:///absolute/path")
            .Validate(o => VolumePaths.IsClean(o.KubeletPodsDir.TrimEnd('/')),
                "Csi:KubeletPodsDir (--kubelet-pods-dir) must be an absolute directory other than /, without . or .. segments")
            .Validate(o => o.ApiTimeout > TimeSpan.Zero && o.ApiTimeout <= TimeSpan.FromMinutes(2),
                "Csi:ApiTimeout must be more than zero and at most 2 minutes (kubelet's limit for one NodePublishVolume)")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CsiOptions>, CsiOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddTemplates();
        AddKubernetes(services);
        services.TryAddSingleton<CsiMetrics>();
        services.TryAddSingleton<AtomicWriter>();
        services.TryAddSingleton<AccessChecker>();
        services.TryAddSingleton<VolumeRenderer>();
        services.TryAddSingleton<VolumePublisher>();
        services.TryAddSingleton<IdentityService>();
        services.TryAddSingleton<NodeService>();
        services.TryAddSingleton<CsiServer>();
        services.AddSingleton<IReadinessCheck>(sp => sp.GetRequiredService<CsiServer>());
        services.AddHostedService(sp => sp.GetRequiredService<CsiServer>());
        services.TryAddSingleton<IdleMemoryReleaser>();
        services.AddHostedService(sp => sp.GetRequiredService<IdleMemoryReleaser>());
        return services;
    }

    /// <summary>Watch caches of Connectors, ConnectorClasses and the proxy CA; TokenRequest and SubjectAccessReview via the API client.</summary>
    private static void AddKubernetes(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ICsiKube)))
        {
            return;
        }

        services.AddKubeCache<Connector>();
        services.AddKubeCache<ConnectorClass>();
        services.TryAddSingleton<ProxyCaCache>();
        services.AddSingleton<IReadinessCheck>(sp => sp.GetRequiredService<ProxyCaCache>().Cache);
        services.AddHostedService(sp => sp.GetRequiredService<ProxyCaCache>());
        services.TryAddSingleton<ICsiKube, KubeCsiCluster>();
    }

    private static bool IsEndpoint(string endpoint)
    {
        try
        {
            _ = CsiEndpoint.ParseUnixPath(endpoint);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
