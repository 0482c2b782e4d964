using Connectors.Modules.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Connectors.Modules.Csi;

/// <summary>The Csi module's door: the <c>connectors-csi</c> node driver on its unix socket.</summary>
public static class CsiServiceCollectionExtensions
{
    /// <summary>
    /// Adds the driver: options from section <c>Csi</c> (and <c>Components:Namespace</c>), the gRPC listener as
    /// a hosted service and readiness check. The Kubernetes access and the template engines come from the Kube
    /// and Templates modules .
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
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CsiMetrics>();
        services.TryAddSingleton<AtomicWriter>();
        services.TryAddSingleton<VolumeRenderer>();
        services.TryAddSingleton<VolumePublisher>();
        services.TryAddSingleton<IdentityService>();
        services.TryAddSingleton<NodeService>();
        services.TryAddSingleton<CsiServer>();
        services.AddSingleton<IReadinessCheck>(sp => sp.GetRequiredService<CsiServer>());
        services.AddHostedService(sp => sp.GetRequiredService<CsiServer>());
        return services;
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
