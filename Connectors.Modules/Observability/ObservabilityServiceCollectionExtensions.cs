using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Observability;

/// <summary>The Observability module's door: metrics collection and the health/metrics listener.</summary>
public static class ObservabilityServiceCollectionExtensions
{
    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.AddOptions<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ObservabilityOptions>, ObservabilityOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ObservabilityOptions>, OtlpEndpointValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new MetricsEndpoint(sp));
        services.TryAddSingleton<ProcessMetrics>();
        services.TryAddSingleton<HealthServer>();
        services.TryAddSingleton<Tracing>();
        services.AddHostedService(sp =>
        {
            _ = sp.GetRequiredService<ProcessMetrics>();
            _ = sp.GetRequiredService<Tracing>();
            return sp.GetRequiredService<HealthServer>();
        });
        return services;
    }
}
