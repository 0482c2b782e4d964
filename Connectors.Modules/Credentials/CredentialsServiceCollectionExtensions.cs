using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Connectors.Modules.Credentials;

/// <summary>The Credentials module's door: one injector per built-in Secret type and the chooser over them.</summary>
public static class CredentialsServiceCollectionExtensions
{
    public static IServiceCollection AddCredentials(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICredentialInjector, BasicAuthInjector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICredentialInjector, BearerTokenInjector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICredentialInjector, GitLabPatInjector>());
        services.TryAddSingleton<CredentialInjection>();
        return services;
    }
}
