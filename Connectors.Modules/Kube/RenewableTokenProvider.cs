using System.Net.Http.Headers;
using k8s.Authentication;

namespace Connectors.Modules.Kube;

/// <summary>
/// One of the package's token providers (<see cref="TokenFileAuth"/> for in-cluster and kubeconfig <c>tokenFile</c>,
/// <see cref="ExecTokenProvider"/> for exec plugins) that can be swapped for a fresh one after a 401: the package
/// re-reads a token file once a minute and re-runs a plugin only when its token expires, while client-go also does so
/// at once when the server rejects the token (it may have been rotated or revoked early).
/// </summary>
internal sealed class RenewableTokenProvider(ITokenProvider initial, Func<ITokenProvider> renew) : ITokenProvider
{
    private ITokenProvider _current = initial;

    public Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _current).GetAuthenticationHeaderAsync(cancellationToken);

    /// <summary>The next request reads the file or runs the plugin again.</summary>
    public void Renew() => Volatile.Write(ref _current, renew());
}
