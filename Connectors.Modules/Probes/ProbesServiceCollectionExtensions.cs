using Connectors.Modules.Registry;
using Connectors.Modules.Templates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Probes;

/// <summary>The Probes module's door: templated HTTP liveness and auth probes.</summary>
public static class ProbesServiceCollectionExtensions
{
    public static IServiceCollection AddProbes(this IServiceCollection services)
    {
        services.AddOptions<ProbeOptions>()
            .Configure<IConfiguration>((options, configuration) => ProbeOptionsBinder.Bind(configuration, options))
            .Validate(o => o.Timeout >= TimeSpan.FromMilliseconds(1) && o.Timeout <= TimeSpan.FromHours(1), "Probes:Timeout must be between 1ms and 1h")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProbeOptions>, ProbeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpProbe.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => ProbeTrustClients.CreateHandler())
            .RemoveAllLoggers(); // the factory's request logs would carry URLs with queries; HttpProbe logs without them
        services.TryAddSingleton<ProbeTrustClients>();
        services.TryAddSingleton<IProbe, HttpProbe>();
        services.TryAddSingleton<ProbeBuilder>();
        services.AddTemplates();
        services.AddRegistry();
        return services;
    }
}
