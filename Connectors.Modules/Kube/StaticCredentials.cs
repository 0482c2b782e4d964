using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Connectors.Modules.Kube;

/// <summary>A bearer token or a username and password written in the kubeconfig.</summary>
internal sealed class StaticCredentials : ICredentialSource
{
    private readonly AuthenticationHeaderValue _header;

    private StaticCredentials(AuthenticationHeaderValue header) => _header = header;

    public X509Certificate2? ClientCertificate => null;

    public static StaticCredentials Bearer(string token) => new(new AuthenticationHeaderValue("Bearer", token));

    public static StaticCredentials Basic(string username, string password) =>
        new(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password))));

    public ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(bool refresh, CancellationToken cancellationToken) => ValueTask.FromResult<AuthenticationHeaderValue?>(_header);
}
