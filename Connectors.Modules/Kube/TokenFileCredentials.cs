using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;

namespace Connectors.Modules.Kube;

/// <summary>
/// A bearer token read from a file that may be rotated (the projected ServiceAccount token, kubeconfig
/// <c>tokenFile</c>). Like client-go, the file is re-read at most once a minute, and at once after a 401.
/// </summary>
internal sealed class TokenFileCredentials(string path, TimeProvider timeProvider) : ICredentialSource
{
    /// <summary>How long a read token is used before the file is read again.</summary>
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private AuthenticationHeaderValue? _header;
    private DateTimeOffset _readAt;

    public string Path => path;

    public X509Certificate2? ClientCertificate => null;

    public async ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(bool refresh, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            if (!refresh && _header is not null && now - _readAt < ReloadInterval)
            {
                return _header;
            }
        }

        string token;
        try
        {
            token = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"cannot read token file {path}: {e.Message}", e);
        }

        if (token.Length == 0)
        {
            throw new KubeConfigException($"token file {path} is empty");
        }

        var header = new AuthenticationHeaderValue("Bearer", token);
        lock (_lock)
        {
            _header = header;
            _readAt = now;
        }

        return header;
    }
}
