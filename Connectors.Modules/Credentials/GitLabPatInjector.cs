using System.Net.Http.Headers;
using Connectors.Modules.Model;

namespace Connectors.Modules.Credentials;

/// <summary>
/// <c>connectors.cpaas.io/gitlab-pat-auth</c>: what GitLab accepts on the path. Git smart-HTTP and LFS
/// (<c>/info/refs</c>, <c>/git-upload-pack</c>, <c>/git-receive-pack</c>, <c>/info/lfs/</c>) take Basic with the PAT
/// as password (user = the Secret's <c>username</c>, else <c>oauth2</c>); every other path (the REST API under
/// <c>/api/v4/</c>, GraphQL) takes the <c>PRIVATE-TOKEN</c> header.
/// </summary>
internal sealed class GitLabPatInjector : ICredentialInjector
{
    internal const string TokenHeader = "PRIVATE-TOKEN";

    public string SecretType => SecretTypes.GitLabPatAuth;

    public InjectionResult Inject(HttpRequestMessage request, Secret secret)
    {
        var token = SecretData.Read(secret, "token");
        if (string.IsNullOrEmpty(token))
        {
            return InjectionResult.MissingKey(SecretType, "token");
        }

        token = token.Trim();
        if (HeaderValue.BreaksHeader(token))
        {
            return InjectionResult.BreaksHeader(SecretType, "token");
        }

        if (IsGitTransport(request.RequestUri))
        {
            var user = SecretData.Read(secret, "username") is { Length: > 0 } name ? name.Trim() : "oauth2";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicCredentials.Encode(user, token));
        }
        else
        {
            request.Headers.Remove(TokenHeader);
            request.Headers.TryAddWithoutValidation(TokenHeader, token);
        }

        return InjectionResult.Injected;
    }

    /// <summary>Whether the URI is a git smart-HTTP or LFS endpoint (GitLab answers those with Basic only).</summary>
    internal static bool IsGitTransport(Uri? uri)
    {
        var path = uri?.AbsolutePath ?? string.Empty;
        return path.EndsWith("/info/refs", StringComparison.Ordinal)
            || path.EndsWith("/git-upload-pack", StringComparison.Ordinal)
            || path.EndsWith("/git-receive-pack", StringComparison.Ordinal)
            || path.Contains("/info/lfs/", StringComparison.Ordinal);
    }
}
