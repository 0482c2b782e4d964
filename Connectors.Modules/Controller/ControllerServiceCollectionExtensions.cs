using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Connectors.Modules.Probes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Controller;

/// <summary>The Controller module's door: watch caches, reconcilers, workers, leader election, proxy CA.</summary>
public static class ControllerServiceCollectionExtensions
{
    public static IServiceCollection AddController(this IServiceCollection services)
    {
        services.AddOptions<ControllerOptions>()
            .Configure<IConfiguration>((options, configuration) => ControllerOptionsBinder.Bind(configuration, options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ControllerOptions>, ControllerOptionsValidator>());
        services.AddProbes();
        services.AddKube();
        services.AddKubeCache<Connector>();
        services.AddKubeCache<ConnectorClass>();
        services.AddKubeCache<Secret>();
        services.AddKubeCache<Service>();
        services.AddFeatureFlagsCache(sp => sp.GetRequiredService<IOptions<ControllerOptions>>().Value.ComponentsNamespace);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<ControllerOptions>>().Value);
        services.TryAddSingleton(sp => new ControllerCaches(
            sp.GetRequiredService<ResourceCache<Connector>>(),
            sp.GetRequiredService<ResourceCache<ConnectorClass>>(),
            sp.GetRequiredService<ResourceCache<Secret>>(),
            sp.GetRequiredService<ResourceCache<Service>>(),
            sp.GetRequiredService<ResourceCache<ConfigMap>>()));
        services.TryAddSingleton<CaCertCheck>();
        services.TryAddSingleton(sp =>
        {
            var metrics = new ControllerMetrics();
            metrics.TrackConnectors(() => sp.GetRequiredService<ControllerCaches>().Connectors.List());
            return metrics;
        });
        services.TryAddSingleton<EventRecorder>();
        services.TryAddSingleton<ClassCelConditions>();
        services.TryAddSingleton(sp => new ConnectorProber(
            sp.GetRequiredService<IProbe>(),
            sp.GetRequiredService<ProbeBuilder>(),
            sp.GetRequiredService<ControllerMetrics>(),
            sp.GetRequiredService<ControllerOptions>(),
            sp.GetRequiredService<ControllerCaches>().Services.Get,
            sp.GetRequiredService<ClassCelConditions>()));
        services.TryAddSingleton<ProxyServiceEnsurer>();
        services.TryAddSingleton<ProxyCaInstaller>();
        services.TryAddSingleton<ConnectorReconciler>();
        services.TryAddSingleton<ConnectorClassReconciler>();
        services.TryAddSingleton(sp => new ControllerLoops(
            NewLoop("connector", sp.GetRequiredService<ConnectorReconciler>(), sp),
            NewLoop("connectorclass", sp.GetRequiredService<ConnectorClassReconciler>(), sp)));
        services.TryAddSingleton<ControllerService>();
        services.AddHostedService(sp => sp.GetRequiredService<ControllerService>());
        return services;
    }

    private static ReconcileLoop<T> NewLoop<T>(string kind, IReconciler<T> reconciler, IServiceProvider sp) => new(
        kind,
        reconciler,
        sp.GetRequiredService<ControllerOptions>(),
        sp.GetRequiredService<ControllerMetrics>(),
        sp.GetRequiredService<TimeProvider>(),
        sp.GetRequiredService<ILoggerFactory>().CreateLogger($"Connectors.Modules.Controller.ReconcileLoop.{kind}"));
}
