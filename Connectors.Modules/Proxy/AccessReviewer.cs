using System.Security.Cryptography;
using System.Text;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Checks a client token for a Connector: TokenReview (the API server's default audience first, then the
/// Connector's proxy URL audience), then SubjectAccessReview <c>get connectors/&lt;name&gt;</c> and, with the
/// <c>enable-connector-proxy-permissions</c> flag, <c>connectors/proxy</c>. Results are cached by token hash with
/// the allow and deny TTLs; concurrent identical reviews share one API call.
/// <para>
/// Under attack: a token is first checked locally (<see cref="IssuerKeys"/>). A ServiceAccount token whose signature
/// checks out is reviewed at once, past the client-side rate limit; a forged or expired one is refused without any
/// API call; anything the proxy cannot verify (random strings, other issuers) waits for one of
/// <see cref="ProxyOptions.UnverifiedReviews"/> review slots, and gets 503 after <see cref="ProxyOptions.UnverifiedReviewWait"/>.
/// So made-up tokens cannot starve real ones. With the API server unreachable, new tokens get 503 at once (fail
/// closed) while cached decisions keep being served.
/// </para>
/// </summary>
internal sealed class AccessReviewer : IDisposable
{
    /// <summary>A review still unanswered after this makes the API's reachability checked at once.</summary>
    internal static readonly TimeSpan SuspectAfter = TimeSpan.FromSeconds(1);

    private readonly IAccessReviewClient _client;
    private readonly IssuerKeys _issuerKeys;
    private readonly SemaphoreSlim _unverified;
    private readonly TimeProvider _timeProvider;
    private readonly ProxyOptions _options;
    private readonly ReviewCache<(string Hash, string Audience), TokenIdentity> _tokens;
    private readonly ReviewCache<(string Hash, string Ns, string Name, bool Proxy), AccessDecision> _decisions;

    // Built once: a lambda reading _options would otherwise be a new delegate on every (cached) request.
    private readonly Func<AccessDecision, TimeSpan> _decisionTtl;
    private readonly Func<TokenIdentity, TimeSpan> _identityTtl;

    public AccessReviewer(IAccessReviewClient client, IOptions<ProxyOptions> options, TimeProvider timeProvider)
    {
        _client = client;
        _options = options.Value;
        _timeProvider = timeProvider;
        _issuerKeys = new IssuerKeys(client, timeProvider);
        _unverified = new SemaphoreSlim(_options.UnverifiedReviews, _options.UnverifiedReviews);
        _tokens = new(_options.ReviewCacheSize, timeProvider, static i => i.IsAuthenticated);
        _decisions = new(_options.ReviewCacheSize, timeProvider, static d => d.IsAllowed);
        _decisionTtl = d => d.Local ? TimeSpan.Zero : d.Outcome switch
        {
            AccessOutcome.Allowed => _options.AllowTtl,
            AccessOutcome.Unavailable => TimeSpan.Zero,
            _ => _options.DenyTtl,
        };
        _identityTtl = i => i.Unavailable ? TimeSpan.Zero : i.IsAuthenticated ? _options.AllowTtl : _options.DenyTtl;
    }

    /// <summary>The SHA-256 of a token, hex; the only form in which tokens are kept.</summary>
    public static string Hash(string token) => Hash(token.AsSpan());

    /// <summary>The SHA-256 of a token read in place (a slice of the request's header), hex.</summary>
    public static string Hash(ReadOnlySpan<char> token)
    {
        Span<byte> digest = stackalloc byte[32];
        var length = Encoding.UTF8.GetByteCount(token);
        var rented = length <= 4096 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        Span<byte> utf8 = rented ?? stackalloc byte[4096];
        try
        {
            SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(token, utf8)], digest);
        }
        finally
        {
            if (rented is not null)
            {
                // The buffer held a token: clear it before another caller gets it.
                System.Buffers.ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }

        return Convert.ToHexString(digest);
    }

    /// <summary>Authenticates <paramref name="token"/> and authorizes its subject for the Connector.</summary>
    public ValueTask<AccessDecision> AuthorizeAsync(string token, string ns, string name, ConnectorStatus? status, bool proxyPermissions, CancellationToken cancellationToken) =>
        AuthorizeAsync(token.AsMemory(), Hash(token), ns, name, status, proxyPermissions, cancellationToken);

    /// <summary>
    /// As above with the token read in place (a slice of the request's header) and its <see cref="Hash(ReadOnlySpan{char})"/>
    /// already known (<see cref="TokenHashMemo"/>): a cached decision needs only the hash, so the token becomes a string
    /// of its own only when it is reviewed.
    /// </summary>
    public ValueTask<AccessDecision> AuthorizeAsync(
        ReadOnlyMemory<char> token, string hash, string ns, string name, ConnectorStatus? status, bool proxyPermissions, CancellationToken cancellationToken)
    {
        return _decisions.GetOrReviewAsync(
            (hash, ns, name, proxyPermissions),
            (Reviewer: this, Token: token, Hash: hash, Ns: ns, Name: name, Status: status, Proxy: proxyPermissions),
            static s => s.Reviewer.ReviewAsync(s.Token.ToString(), s.Hash, s.Ns, s.Name, s.Status, s.Proxy),
            _decisionTtl,
            cancellationToken);
    }

    /// <summary>Authenticates a token against the default audience and the given Connector proxy audiences.</summary>
    public async ValueTask<TokenIdentity> AuthenticateAsync(string token, string hash, IReadOnlyList<string> audiences, CancellationToken cancellationToken) =>
        await AuthenticateAsync(token, hash, audiences, await _issuerKeys.CheckAsync(token, cancellationToken), cancellationToken);

    public void Dispose()
    {
        _issuerKeys.Dispose();
        _unverified.Dispose();
    }

    private async ValueTask<TokenIdentity> AuthenticateAsync(
        string token, string hash, IReadOnlyList<string> audiences, TokenPrecheck precheck, CancellationToken cancellationToken)
    {
        if (precheck.Shape == TokenShape.Rejected)
        {
            return new TokenIdentity(null, precheck.Reason, false);
        }

        var verified = precheck.Shape == TokenShape.Verified;
        var identity = await AuthenticateOnceAsync(token, hash, [], verified, cancellationToken);
        if (identity.IsAuthenticated || identity.Unavailable || audiences.Count == 0)
        {
            return identity;
        }

        return await AuthenticateOnceAsync(token, hash, audiences, verified, cancellationToken);
    }

    /// <summary>The audiences a token for this Connector may carry: its proxy URL as status says, and the default host URL.</summary>
    public static IReadOnlyList<string> ConnectorAudiences(string ns, string name, ConnectorStatus? status)
    {
        var audiences = new List<string>(3);
        void Add(string? value)
        {
            if (!string.IsNullOrEmpty(value) && !audiences.Contains(value))
            {
                audiences.Add(value);
            }
        }

        Add(status?.Proxy?.HttpAddress?.Audience);
        Add(status?.Proxy?.HttpAddress?.Url);
        Add($"http://c-{name}.{ns}.svc.cluster.local");
        return audiences;
    }

    private ValueTask<TokenIdentity> AuthenticateOnceAsync(string token, string hash, IReadOnlyList<string> audiences, bool verified, CancellationToken cancellationToken) =>
        _tokens.GetOrReviewAsync(
            (hash, string.Join(' ', audiences)),
            (Reviewer: this, Token: token, Audiences: audiences, Verified: verified),
            static s => s.Reviewer.ReviewTokenAsync(s.Token, s.Audiences, s.Verified),
            _identityTtl,
            cancellationToken);

    private async Task<TokenIdentity> ReviewTokenAsync(string token, IReadOnlyList<string> audiences, bool verified)
    {
        if (!verified && !await _unverified.WaitAsync(_options.UnverifiedReviewWait))
        {
            return new TokenIdentity(null, "too many tokens that cannot be verified locally are waiting for review; try again", Unavailable: true);
        }

        try
        {
            var call = await CallAsync((client, ct) => client.ReviewTokenAsync(token, audiences, verified, ct));
            if (call.Value?.Status is not { } status)
            {
                return new TokenIdentity(null, call.Error ?? "TokenReview returned no status", Unavailable: true);
            }

            return status.Authenticated == true && status.User is { } user
                ? new TokenIdentity(user, null, false)
                : new TokenIdentity(null, status.Error, false);
        }
        finally
        {
            if (!verified)
            {
                _unverified.Release();
            }
        }
    }

    /// <summary>
    /// One review call: refused at once while the API server is known unreachable; otherwise bounded by
    /// <see cref="ProxyOptions.ReviewTimeout"/> and by the moment the server is found unreachable, and after
    /// <see cref="SuspectAfter"/> without an answer the server's reachability is checked at once.
    /// </summary>
    private async Task<ReviewCall<T>> CallAsync<T>(Func<IAccessReviewClient, CancellationToken, Task<ReviewCall<T>>> call)
        where T : class
    {
        if (_client.Unreachable is { } down)
        {
            return new(null, Unreachable(down));
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(_client.LostToken);
        bounded.CancelAfter(_options.ReviewTimeout);
        var pending = call(_client, bounded.Token);
        try
        {
            try
            {
                return await pending.WaitAsync(SuspectAfter, _timeProvider);
            }
            catch (TimeoutException)
            {
                _client.Suspect();
                return await pending;
            }
        }
        catch (OperationCanceledException)
        {
            return new(null, _client.Unreachable is { } lost ? Unreachable(lost) : $"the Kubernetes API did not answer within {_options.ReviewTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is KubeConfigException or HttpRequestException or IOException or InvalidOperationException)
        {
            return new(null, "the review could not be sent: " + e.Message);
        }
    }

    private static string Unreachable(string problem) =>
        $"the Kubernetes API is unreachable ({problem}); new tokens cannot be checked until it answers";

    private async Task<AccessDecision> ReviewAsync(string token, string hash, string ns, string name, ConnectorStatus? status, bool proxyPermissions)
    {
        var precheck = await _issuerKeys.CheckAsync(token, CancellationToken.None);
        var identity = await AuthenticateAsync(token, hash, ConnectorAudiences(ns, name, status), precheck, CancellationToken.None);
        if (identity.Unavailable)
        {
            return new(AccessOutcome.Unavailable, null, "token review failed: " + identity.Error);
        }

        if (identity.User is not { } user)
        {
            return new(AccessOutcome.Unauthenticated, null, precheck.Reason ?? "the token is not valid for this Connector", precheck.Shape == TokenShape.Rejected);
        }

        var verified = precheck.Shape == TokenShape.Verified;
        var decision = await CheckAsync(user, ns, name, null, verified);
        if (decision.IsAllowed && proxyPermissions)
        {
            decision = await CheckAsync(user, ns, name, "proxy", verified);
        }

        return decision;
    }

    private async Task<AccessDecision> CheckAsync(UserInfo user, string ns, string name, string? subresource, bool verified)
    {
        var review = SubjectAccessReview.GetConnector(user, ns, name, subresource);
        var call = await CallAsync((client, ct) => client.ReviewAccessAsync(review, verified, ct));
        if (call.Value?.Status is not { } result)
        {
            return new(AccessOutcome.Unavailable, user.Username, "access review failed: " + call.Error);
        }

        var what = subresource is null ? "connectors" : "connectors/" + subresource;
        return result.Allowed
            ? new(AccessOutcome.Allowed, user.Username, null)
            : new(AccessOutcome.Forbidden, user.Username, $"{user.Username} may not get {what} \"{name}\" in namespace \"{ns}\"");
    }
}
