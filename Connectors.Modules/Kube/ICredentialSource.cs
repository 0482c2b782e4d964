using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;

namespace Connectors.Modules.Kube;

/// <summary>Produces the credentials of each request. Implementations: static token, token file, basic auth, exec plugin.</summary>
internal interface ICredentialSource
{
    /// <summary>The Authorization header for the next request, or null when the source only supplies a client certificate.</summary>
    /// <param name="refresh">True after a 401: drop any cached credential and read or run the source again.</param>
    /// <param name="cancellationToken">Cancels the read or the plugin run.</param>
    /// <exception cref="KubeConfigException">The source cannot produce a credential (missing file, failed plugin).</exception>
    ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(bool refresh, CancellationToken cancellationToken);

    /// <summary>A client certificate the source produced (exec plugins may return one); null otherwise.</summary>
    X509Certificate2? ClientCertificate { get; }
}
