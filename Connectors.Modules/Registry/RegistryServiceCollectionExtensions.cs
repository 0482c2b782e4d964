using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Connectors.Modules.Registry;

/// <summary>The Registry module's door: the distribution token flow (token client and cache) for the proxy and the probes.</summary>
public static class RegistryServiceCollectionExtensions
{
    public static IServiceCollection AddRegistry(this IServiceCollection services)
    {
        services.AddOptions<RegistryOptions>()
            .BindConfiguration(RegistryOptions.SectionName)
            .Validate(o => o.TokenCacheSize is >= 1 and <= 1_000_000, "Registry:TokenCacheSize must be between 1 and 1000000")
            .Validate(o => o.TokenTimeout > TimeSpan.Zero && o.TokenTimeout <= TimeSpan.FromMinutes(10), "Registry:TokenTimeout must be between 0 and 10 minutes")
            .Validate(o => o.ExpiryMargin >= TimeSpan.Zero, "Registry:ExpiryMargin must not be negative")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RegistryTokenClient>();
        services.TryAddSingleton<RegistryTokenCache>();
        return services;
    }
}
