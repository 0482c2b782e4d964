using Connectors.Modules.Model;

namespace Connectors.Modules.Credentials;

/// <summary>
/// Chooses how a Connector's credential goes onto an upstream request: by the Secret's type, through the
/// registered <see cref="ICredentialInjector"/>s. No Secret means no credential (optional auth).
/// </summary>
public sealed class CredentialInjection
{
    private readonly Dictionary<string, ICredentialInjector> _injectors;

    public CredentialInjection(IEnumerable<ICredentialInjector> injectors)
    {
        ArgumentNullException.ThrowIfNull(injectors);
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

        var type = string.IsNullOrEmpty(secret.Type) ? SecretTypes.Opaque : secret.Type;
        if (_injectors.TryGetValue(type, out var injector))
        {
            return injector.Inject(request, secret);
        }

        if (authType?.Generator is { } generator && (generator.Headers is { Count: > 0 } || generator.Rego is not null))
        {
            // Templated and Rego generators need the Go template engine (branch templates) or OPA: refuse loudly
            // rather than forward without the credential the class asked for.
            return new(InjectionOutcome.Unsupported,
                $"auth type \"{authType.Name}\" declares a credential generator, which this proxy cannot render yet");
        }

        return new(InjectionOutcome.Unsupported, $"no credential injection for Secret type {type}");
    }
}
