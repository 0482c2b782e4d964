using System.Collections.Concurrent;
using Connectors.Modules.Credentials;
using Connectors.Modules.Model;
using Connectors.Modules.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Proxy;

/// <summary>
/// The registry side of registry mode: which authentication each registry wants, learnt once from its <c>/v2/</c>
/// challenge (<c>Bearer realm,service</c>, <c>Basic</c>, or none) and again from any later 401 (and forgotten when its
/// token service fails, so the next request asks <c>/v2/</c> again); the token for the
/// scopes a request needs, from <see cref="RegistryTokenCache"/> or the token service, fetched before the request is
/// sent so an upload's body goes out once. Tokens and passwords stay in here and in the request header.
/// </summary>
internal sealed partial class RegistryUpstreamAuth(RegistryTokenClient tokens, RegistryTokenCache cache, ILogger<RegistryUpstreamAuth> logger)
{
    private const int MaxRegistries = 4096;

    // Harbor's token service, on the registry's own origin.
    private const string HarborTokenPath = "/service/token";

    // Per registry origin: the challenge it answers /v2/ with (null: open registry).
    private readonly ConcurrentDictionary<string, AuthChallenge?> _challenges = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The account of a registry Connector's Secret (<c>username</c>/<c>password</c>), null without a Secret.</summary>
    public static (RegistryCredential? Credential, string? Error) CredentialOf(Secret? secret)
    {
        if (secret is null)
        {
            return (null, null);
        }

        var username = SecretData.Read(secret, "username");
        var password = SecretData.Read(secret, "password");
        return username is null || password is null
            ? (null, $"Secret of type {secret.Type} has no \"{(username is null ? "username" : "password")}\" key")
            : (new RegistryCredential(username, password), null);
    }

    /// <summary>
    /// Everything a registry-mode forward needs before it is sent: the account of <paramref name="secret"/>, the scopes
    /// of the request, the <c>Authorization</c> for them, and where <c>Location</c>s map to (<paramref name="clientV2"/>,
    /// null in forward mode); or why the credential cannot be used.
    /// </summary>
    public async ValueTask<(RegistryPlan? Plan, string? Error)> PlanAsync(
        HttpContext context, HttpMessageInvoker invoker, Uri upstream, RegistryPath path, Secret? secret, string? clientV2, CancellationToken cancellationToken)
    {
        var (credential, invalid) = CredentialOf(secret);
        if (invalid is not null)
        {
            return (null, invalid);
        }

        var scopes = RegistryScopes.For(context.Request.Method, path, RegistryMount.From(upstream.PathAndQuery));
        var authorization = await AuthorizeAsync(invoker, upstream, credential, scopes, cancellationToken);
        if (authorization.Error is { } error)
        {
            return (null, error);
        }

        // Every Location is checked; only in reverse mode (clientV2) is it mapped, and may it name the proxy itself.
        var location = new RegistryLocation(upstream, clientV2, clientV2 is null ? null : ProxyAuthorityOf(context.Request));
        // Only a request without a body may be sent twice (after a challenge); an upload's body goes out once.
        var bodyless = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true;
        return (new RegistryPlan(credential, scopes, new RegistryForward(authorization.Header, location, bodyless)), null);
    }

    /// <summary>
    /// Whether a request in registry mode that is not a distribution API request (<see cref="RegistryPath.TryParse"/>)
    /// could be the registry's token service, which with the Connector's account would hand the workload a registry
    /// token to use without the proxy: anything else below <c>/v2/</c> (Quay's <c>/v2/auth</c>), Harbor's well-known
    /// <c>/service/token</c>, and the realm of the registry's challenge on its own origin. The challenge is learnt
    /// first when it is not known (after a restart, an eviction or a <c>Forget</c>), so no window opens; when it cannot
    /// be learnt the answer is yes. Paths compare after percent-decoding, dot segments, repeated slashes and letter case.
    /// </summary>
    public async ValueTask<bool> IsTokenServiceAsync(HttpMessageInvoker invoker, Uri upstream, CancellationToken cancellationToken)
    {
        var path = NormalizedPath(UpstreamUri.PathOf(upstream.PathAndQuery).ToString());
        if (path == HarborTokenPath || path == "/v2" || path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            return true;
        }

        var origin = upstream.GetLeftPart(UriPartial.Authority);
        if (!_challenges.TryGetValue(origin, out var challenge))
        {
            (challenge, var error) = await DiscoverAsync(invoker, origin, cancellationToken);
            if (error is not null)
            {
                return true;
            }
        }

        return challenge?.Realm is { } realm && Uri.TryCreate(realm, UriKind.Absolute, out var service)
               && ConnectorAddresses.SameOrigin(upstream, service.Scheme, service.Host, service.Port)
               && path == NormalizedPath(UpstreamUri.PathOf(service.PathAndQuery).ToString());
    }

    private static string NormalizedPath(string rawPath)
    {
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(rawPath);
        }
        catch (UriFormatException)
        {
            decoded = rawPath;
        }

        var segments = new List<string>();
        foreach (var segment in decoded.Split('/', '\\'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(segment.ToLowerInvariant());
        }

        return "/" + string.Join('/', segments);
    }

    private static string ProxyAuthorityOf(HttpRequest request)
    {
        var host = request.Host;
        return host.Port is { } port ? $"{host.Host}:{port}" : $"{host.Host}:{(request.IsHttps ? 443 : 80)}";
    }

    /// <summary>The <c>Authorization</c> for a request to <paramref name="registry"/> that needs <paramref name="scopes"/>.</summary>
    public async ValueTask<RegistryAuthorization> AuthorizeAsync(
        HttpMessageInvoker invoker, Uri registry, RegistryCredential? credential, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var origin = registry.GetLeftPart(UriPartial.Authority);
        if (!_challenges.TryGetValue(origin, out var challenge))
        {
            var (discovered, error) = await DiscoverAsync(invoker, origin, cancellationToken);
            if (error is not null)
            {
                return RegistryAuthorization.Failed(error);
            }

            challenge = discovered;
        }

        return await AnswerAsync(invoker, registry, challenge, credential, scopes, cancellationToken);
    }

    /// <summary>
    /// The registry answered 401 with <paramref name="challenges"/> to a request that carried <paramref name="sent"/>: learn
    /// what it wants, drop the token it refused, and answer the challenge (its scopes, else <paramref name="scopes"/>).
    /// Null when there is nothing new to send: the same header again would only be refused again.
    /// </summary>
    public async ValueTask<RegistryAuthorization?> ReauthorizeAsync(
        HttpMessageInvoker invoker, Uri registry, RegistryCredential? credential, IReadOnlyList<AuthChallenge> challenges, IReadOnlyList<string> scopes,
        string? sent, CancellationToken cancellationToken)
    {
        var challenge = AuthChallenge.Preferred(challenges);
        if (challenge is null)
        {
            return null;
        }

        Remember(registry.GetLeftPart(UriPartial.Authority), challenge);
        var wanted = challenge.IsBearer && challenge.Scopes.Count > 0 ? challenge.Scopes : scopes;
        if (challenge.IsBearer)
        {
            cache.Remove(TokenKey.For(registry, credential, wanted));
            cache.Remove(TokenKey.For(registry, credential, scopes));
        }

        var again = await AnswerAsync(invoker, registry, challenge, credential, wanted, cancellationToken);
        return again.Error is null && (again.Header is null || again.Header == sent) ? null : again;
    }

    private async ValueTask<RegistryAuthorization> AnswerAsync(
        HttpMessageInvoker invoker, Uri registry, AuthChallenge? challenge, RegistryCredential? credential, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        if (challenge is null)
        {
            return RegistryAuthorization.None;
        }

        if (challenge.IsBasic)
        {
            return new RegistryAuthorization(credential?.BasicAuthorization, null);
        }

        var fetched = await cache.GetOrFetchAsync(
            TokenKey.For(registry, credential, scopes),
            () => tokens.FetchAsync(invoker, registry, challenge, scopes, credential, CancellationToken.None),
            cancellationToken);
        if (fetched.Token is { } token)
        {
            return new RegistryAuthorization(token.Authorization, null);
        }

        // The token service this challenge names failed: forget the challenge (unless another request has learnt a new
        // one meanwhile), so the next request asks /v2/ again and follows a registry that moved its token service,
        // instead of failing until a restart. While the service works, nothing is asked again.
        Forget(registry.GetLeftPart(UriPartial.Authority), challenge);
        return RegistryAuthorization.Failed(fetched.StatusCode == 401
                ? $"the registry's token service refused the Connector's credential ({fetched.Error})"
                : fetched.Error ?? "no token");
    }

    /// <summary>Asks <c>GET /v2/</c> without credentials what the registry wants (distribution spec, "API Version Check").</summary>
    private async Task<(AuthChallenge? Challenge, string? Error)> DiscoverAsync(HttpMessageInvoker invoker, string origin, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, origin + "/v2/");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            using var response = await invoker.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                Remember(origin, null);
                return (null, null);
            }

            var challenge = status == 401 && response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values)
                ? AuthChallenge.Preferred(AuthChallenge.Parse(values))
                : null;
            if (challenge is null)
            {
                return (null, $"the registry {origin} answered {status} to GET /v2/ without a Bearer or Basic challenge");
            }

            Remember(origin, challenge);
            return (challenge, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"the registry {origin} did not answer GET /v2/ within 30 s");
        }
        catch (HttpRequestException e)
        {
            return (null, $"the registry {origin} could not be reached: {e.Message}");
        }
    }

    private void Forget(string origin, AuthChallenge challenge)
    {
        if (_challenges.TryGetValue(origin, out var known) && known is not null && Same(known, challenge))
        {
            _challenges.TryRemove(new KeyValuePair<string, AuthChallenge?>(origin, known));
        }
    }

    private void Remember(string origin, AuthChallenge? challenge)
    {
        if (_challenges.Count >= MaxRegistries)
        {
            _challenges.Clear();
        }

        if (!_challenges.TryGetValue(origin, out var known) || !Same(known, challenge))
        {
            Log.Learnt(logger, origin, challenge?.Scheme ?? "none", challenge?.Realm is { } realm && Uri.TryCreate(realm, UriKind.Absolute, out var r) ? r.GetLeftPart(UriPartial.Path) : "-");
        }

        _challenges[origin] = challenge is null ? null : challenge with { Parameters = WithoutScope(challenge) };
    }

    private static bool Same(AuthChallenge? a, AuthChallenge? b) =>
        a is null ? b is null : b is not null && a.Scheme.Equals(b.Scheme, StringComparison.OrdinalIgnoreCase) && a.Realm == b.Realm && a.Service == b.Service;

    // The scope of a challenge belongs to the request that got it; what is kept per registry is realm and service.
    private static Dictionary<string, string> WithoutScope(AuthChallenge challenge) =>
        challenge.Parameters.Where(p => p.Key != "scope").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static partial class Log
    {
        [LoggerMessage(6510, LogLevel.Information, "Registry {Registry} wants {Scheme} authentication (token service {Realm})")]
        public static partial void Learnt(ILogger logger, string registry, string scheme, string realm);
    }
}
