using System.Security.Cryptography;
using System.Text;
using Connectors.Modules.Model;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Checks a client token for a Connector: TokenReview (the API server's default audience first, then the
/// Connector's proxy URL audience), then SubjectAccessReview <c>get connectors/&lt;name&gt;</c> and, with the
/// <c>enable-connector-proxy-permissions</c> flag, <c>connectors/proxy</c>. Results are cached by token hash with
/// the allow and deny TTLs; concurrent identical reviews share one API call.
/// </summary>
internal sealed class AccessReviewer
{
    private readonly IAccessReviewClient _client;
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
        _tokens = new(_options.ReviewCacheSize, timeProvider);
        _decisions = new(_options.ReviewCacheSize, timeProvider);
        _decisionTtl = d => d.Outcome switch
        {
            AccessOutcome.Allowed => _options.AllowTtl,
            AccessOutcome.Unavailable => TimeSpan.Zero,
            _ => _options.DenyTtl,
        };
        _identityTtl = i => i.Unavailable ? TimeSpan.Zero : i.IsAuthenticated ? _options.AllowTtl : _options.DenyTtl;
    }

    /// <summary>The SHA-256 of a token, hex; the only form in which tokens are kept.</summary>
    public static string Hash(string token)
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
    public ValueTask<AccessDecision> AuthorizeAsync(string token, string ns, string name, ConnectorStatus? status, bool proxyPermissions, CancellationToken cancellationToken)
    {
        var hash = Hash(token);
        return _decisions.GetOrReviewAsync(
            (hash, ns, name, proxyPermissions),
            (Reviewer: this, Token: token, Hash: hash, Ns: ns, Name: name, Status: status, Proxy: proxyPermissions),
            static s => s.Reviewer.ReviewAsync(s.Token, s.Hash, s.Ns, s.Name, s.Status, s.Proxy),
            _decisionTtl,
            cancellationToken);
    }

    /// <summary>Authenticates a token against the default audience and the given Connector proxy audiences.</summary>
    public async ValueTask<TokenIdentity> AuthenticateAsync(string token, string hash, IReadOnlyList<string> audiences, CancellationToken cancellationToken)
    {
        var identity = await AuthenticateOnceAsync(token, hash, [], cancellationToken);
        if (identity.IsAuthenticated || identity.Unavailable || audiences.Count == 0)
        {
            return identity;
        }

        return await AuthenticateOnceAsync(token, hash, audiences, cancellationToken);
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

    private ValueTask<TokenIdentity> AuthenticateOnceAsync(string token, string hash, IReadOnlyList<string> audiences, CancellationToken cancellationToken) =>
        _tokens.GetOrReviewAsync(
            (hash, string.Join(' ', audiences)),
            (Client: _client, Token: token, Audiences: audiences),
            static async s =>
            {
                var call = await s.Client.ReviewTokenAsync(s.Token, s.Audiences, CancellationToken.None);
                if (call.Value?.Status is not { } status)
                {
                    return new TokenIdentity(null, call.Error ?? "TokenReview returned no status", Unavailable: true);
                }

                return status.Authenticated == true && status.User is { } user
                    ? new TokenIdentity(user, null, false)
                    : new TokenIdentity(null, status.Error, false);
            },
            _identityTtl,
            cancellationToken);

    private async Task<AccessDecision> ReviewAsync(string token, string hash, string ns, string name, ConnectorStatus? status, bool proxyPermissions)
    {
        var identity = await AuthenticateAsync(token, hash, ConnectorAudiences(ns, name, status), CancellationToken.None);
        if (identity.Unavailable)
        {
            return new(AccessOutcome.Unavailable, null, "token review failed: " + identity.Error);
        }

        if (identity.User is not { } user)
        {
            return new(AccessOutcome.Unauthenticated, null, "the token is not valid for this Connector");
        }

        var decision = await CheckAsync(user, ns, name, null);
        if (decision.IsAllowed && proxyPermissions)
        {
            decision = await CheckAsync(user, ns, name, "proxy");
        }

        return decision;
    }

    private async Task<AccessDecision> CheckAsync(UserInfo user, string ns, string name, string? subresource)
    {
        var review = new SubjectAccessReview
        {
            Spec = new SubjectAccessReviewSpec
            {
                User = user.Username,
                Uid = user.Uid,
                Groups = user.Groups,
                Extra = user.Extra,
                ResourceAttributes = new ResourceAttributes
                {
                    Namespace = ns,
                    Verb = "get",
                    Group = ApiGroups.Connectors,
                    Resource = "connectors",
                    Subresource = subresource,
                    Name = name,
                },
            },
        };
        var call = await _client.ReviewAccessAsync(review, CancellationToken.None);
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
