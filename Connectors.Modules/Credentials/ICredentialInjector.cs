using Connectors.Modules.Model;

namespace Connectors.Modules.Credentials;

/// <summary>Puts the credential of one Secret type on an upstream request.</summary>
public interface ICredentialInjector
{
    /// <summary>The Kubernetes Secret type this injector handles, e.g. <c>kubernetes.io/basic-auth</c>.</summary>
    string SecretType { get; }

    /// <summary>
    /// Adds the credential from <paramref name="secret"/> to <paramref name="request"/>, whose URI is the final
    /// upstream URI. The caller has already removed the client's own credential headers.
    /// </summary>
    InjectionResult Inject(HttpRequestMessage request, Secret secret);
}
