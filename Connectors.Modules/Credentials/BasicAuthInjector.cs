using System.Net.Http.Headers;
using Connectors.Modules.Model;

namespace Connectors.Modules.Credentials;

/// <summary><c>kubernetes.io/basic-auth</c>: <c>Authorization: Basic base64(username:password)</c>.</summary>
internal sealed class BasicAuthInjector : ICredentialInjector
{
    public string SecretType => SecretTypes.BasicAuth;

    public InjectionResult Inject(HttpRequestMessage request, Secret secret)
    {
        var username = SecretData.Read(secret, "username");
        if (username is null)
        {
            return InjectionResult.MissingKey(SecretType, "username");
        }

        var password = SecretData.Read(secret, "password");
        if (password is null)
        {
            return InjectionResult.MissingKey(SecretType, "password");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicCredentials.Encode(username, password));
        return InjectionResult.Injected;
    }
}
