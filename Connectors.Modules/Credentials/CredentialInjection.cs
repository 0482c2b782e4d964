using Connectors.Modules.Model;

namespace Connectors.Modules.Credentials;

/// <summary>
/// Chooses how a Connector's credential goes onto an upstream request: by the Secret's type, through the
/// registered <see cref="ICredentialInjector"/>s. No Secret means no credential (optional auth).
/// </summary>
public sealed class CredentialInjection
{
    private readonly Dictionary<string, ICredentialInjector> _injectors;
    private readonly IHeaderTemplateRenderer? _renderer;

    public CredentialInjection(IEnumerable<ICredentialInjector> injectors, IEnumerable<IHeaderTemplateRenderer>? renderers = null)
    {
        ArgumentNullException.ThrowIfNull(injectors);
        _renderer = renderers?.FirstOrDefault();
        _injectors = new Dictionary<string, ICredentialInjector>(StringComparer.Ordinal);
        foreach (var injector in injectors)
        {
            _injectors[injector.SecretType] = injector;
        }
    }

    /// <summary>The Secret types a built-in injector handles.</summary>
    public IReadOnlyCollection<string> SupportedTypes => _injectors.Keys;

    /// <summary>
    /// Injects <paramref name="secret"/> (null = optional auth without a Secret) into <paramref name="request"/>.
    /// <paramref name="authType"/> is the class's declaration of the Connector's auth type, when known.
    /// </summary>
    public InjectionResult Inject(HttpRequestMessage request, Secret? secret, AuthType? authType)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (secret is null)
        {
            return InjectionResult.NoCredential;
        }

        // A class that declares how to inject (generator.headers) wins over the Secret type's built-in injection.
        if (authType?.Generator is { Headers.Count: > 0 } generator && _renderer is not null)
        {
            return GeneratorInjector.Inject(request, secret, authType, generator, _renderer);
        }

        var type = string.IsNullOrEmpty(secret.Type) ? SecretTypes.Opaque : secret.Type;
        if (_injectors.TryGetValue(type, out var injector))
        {
            return injector.Inject(request, secret);
        }

        if (authType?.Generator is { } unsupported && (unsupported.Headers is { Count: > 0 } || unsupported.Rego is not null))
        {
            // Rego generators need OPA, which .NET does not have: refuse loudly rather than forward without the
            // credential the class asked for.
            return new(InjectionOutcome.Unsupported,
                $"auth type \"{authType.Name}\" declares a Rego credential generator, which is not supported: use generator.headers");
        }

        return new(InjectionOutcome.Unsupported, $"no credential injection for Secret type {type}");
    }
}
