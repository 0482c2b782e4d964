using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Connectors.Modules.Templates;

/// <summary>The Templates module's door: registers <see cref="ITemplateRenderer"/>.</summary>
public static class TemplatesServiceCollectionExtensions
{
    public static IServiceCollection AddTemplates(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITemplateRenderer>(sp => new TemplateEngine(sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
