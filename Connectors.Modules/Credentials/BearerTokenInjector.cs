using System.Net.Http.Headers;
using Connectors.Modules.Model;

namespace Connectors.Modules.Credentials;

/// <summary>
/// <c>connectors.cpaas.io/bearer-token</c>: <c>Authorization: Bearer &lt;token&gt;</c>. It replaces whatever the
/// client sent, such as the <c>fake-token</c> placeholder of a mounted kubeconfig.
/// </summary>
internal sealed class BearerTokenInjector : ICredentialInjector
{
    public string SecretType => SecretTypes.BearerToken;

    public InjectionResult Inject(HttpRequestMessage request, Secret secret)
    {
        var token = SecretData.Read(secret, "token");
        if (string.IsNullOrEmpty(token))
        {
            return InjectionResult.MissingKey(SecretType, "token");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        return InjectionResult.Injected;
    }
}
