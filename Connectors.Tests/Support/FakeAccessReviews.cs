using System.Collections.Concurrent;
using Connectors.Modules.Model;
using Connectors.Modules.Proxy;

namespace Connectors.Tests.Support;

/// <summary>
/// An in-process TokenReview/SubjectAccessReview authority: tokens map to users and audiences; grants are
/// (user, namespace, connector, subresource). Counts calls so tests can check caching.
/// </summary>
internal sealed class FakeAccessReviews : IAccessReviewClient
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

    public void AddToken(string token, string user, params string[] audiences) =>
        _tokens[token] = (user, audiences.Length == 0 ? [DefaultAudience] : audiences);

    public void Grant(string user, string ns, string name, string? subresource = null) => _grants[$"{user}|{ns}|{name}|{subresource}"] = true;

    public async Task<ReviewCall<TokenReview>> ReviewTokenAsync(string token, IReadOnlyList<string> audiences, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _tokenReviews);
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

    public async Task<ReviewCall<SubjectAccessReview>> ReviewAccessAsync(SubjectAccessReview review, CancellationToken cancellationToken)
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
