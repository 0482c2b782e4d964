using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Connectors.Modules.Model;
using Connectors.Modules.Proxy;

namespace Connectors.Tests.Support;

/// <summary>
/// An in-process TokenReview/SubjectAccessReview authority: tokens map to users and audiences; grants are
/// (user, namespace, connector, subresource). Counts calls so tests can check caching.
/// </summary>
internal sealed class FakeAccessReviews : IAccessReviewClient, IDisposable
{
    public const string DefaultAudience = "https://kubernetes.default.svc.cluster.local";

    private readonly ConcurrentDictionary<string, (string User, string[] Audiences)> _tokens = new();
    private readonly ConcurrentDictionary<string, bool> _grants = new();
    private int _tokenReviews;
    private int _accessReviews;

    public int TokenReviews => Volatile.Read(ref _tokenReviews);

    public int AccessReviews => Volatile.Read(ref _accessReviews);

    public List<ResourceAttributes> AccessAsked { get; } = [];

    /// <summary>Delay of each review, to make concurrent callers overlap.</summary>
    public TimeSpan Delay { get; set; }

    public bool Fail { get; set; }

    private CancellationTokenSource _lost = new();
    private string? _down;
    private int _suspected;
    private int _unlimitedReviews;

    /// <summary>The API server as unreachable (non-null: the problem), as the Kube client's reachability reports it.</summary>
    public string? Down
    {
        get => _down;
        set
        {
            _down = value;
            if (value is not null)
            {
                _lost.Cancel();
            }
            else if (_lost.IsCancellationRequested)
            {
                _lost = new CancellationTokenSource();
            }
        }
    }

    /// <summary>How often a slow review made the reviewer ask for a reachability check.</summary>
    public int Suspected => Volatile.Read(ref _suspected);

    /// <summary>Reviews sent as locally verified (past the client-side rate limit).</summary>
    public int VerifiedReviews => Volatile.Read(ref _unlimitedReviews);

    /// <summary>The issuer's JWK Set served as <c>/openid/v1/jwks</c>; null answers as a 404 would.</summary>
    public JsonNode? IssuerKeys { get; set; }

    public string? Unreachable => _down;

    public CancellationToken LostToken => _lost.Token;

    public void Suspect() => Interlocked.Increment(ref _suspected);

    public void Dispose() => _lost.Dispose();

    public Task<ReviewCall<JsonNode>> ReadIssuerKeysAsync(CancellationToken cancellationToken) =>
        Task.FromResult(IssuerKeys is { } keys ? new ReviewCall<JsonNode>(keys.DeepClone(), null) : new ReviewCall<JsonNode>(null, "NotFound: 404"));

    public void AddToken(string token, string user, params string[] audiences) =>
        _tokens[token] = (user, audiences.Length == 0 ? [DefaultAudience] : audiences);

    public void Grant(string user, string ns, string name, string? subresource = null) => _grants[$"{user}|{ns}|{name}|{subresource}"] = true;

    public async Task<ReviewCall<TokenReview>> ReviewTokenAsync(string token, IReadOnlyList<string> audiences, bool verified, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _tokenReviews);
        if (verified)
        {
            Interlocked.Increment(ref _unlimitedReviews);
        }

        await Task.Delay(Delay, cancellationToken);
        if (Fail)
        {
            return new(null, "Transient: connection refused");
        }

        var wanted = audiences.Count == 0 ? [DefaultAudience] : audiences;
        var status = _tokens.TryGetValue(token, out var entry) && entry.Audiences.Intersect(wanted).Any()
            ? new TokenReviewStatus { Authenticated = true, User = new UserInfo { Username = entry.User, Groups = ["system:serviceaccounts"] }, Audiences = [.. entry.Audiences.Intersect(wanted)] }
            : new TokenReviewStatus { Authenticated = false, Error = "invalid bearer token" };
        return new(new TokenReview { Status = status }, null);
    }

    public async Task<ReviewCall<SubjectAccessReview>> ReviewAccessAsync(SubjectAccessReview review, bool verified, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _accessReviews);
        await Task.Delay(Delay, cancellationToken);
        var a = review.Spec.ResourceAttributes!;
        lock (AccessAsked)
        {
            AccessAsked.Add(a);
        }

        var allowed = a.Verb == "get" && a.Group == ApiGroups.Connectors && a.Resource == "connectors"
            && _grants.ContainsKey($"{review.Spec.User}|{a.Namespace}|{a.Name}|{a.Subresource}");
        return new(new SubjectAccessReview { Status = new SubjectAccessReviewStatus { Allowed = allowed } }, null);
    }
}
