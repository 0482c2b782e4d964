using System.Security.Cryptography;
using System.Text;

namespace Connectors.Modules.Embedded;

/// <summary>
/// Bearer-token authentication: the admin token written into the kubeconfig, or a ServiceAccount token this
/// server issued whose ServiceAccount (and bound pod) still exist and whose audiences meet the target ones.
/// </summary>
internal sealed class Authenticator(string adminToken, ServiceAccountTokens tokens, ObjectStore store, string defaultAudience)
{
    private readonly byte[] _admin = Encoding.UTF8.GetBytes(adminToken);

    public string DefaultAudience { get; } = defaultAudience;

    /// <summary>The caller of a request with <paramref name="bearer"/>; null when it does not authenticate.</summary>
    public ApiUser? Authenticate(string? bearer) => bearer is null ? null : Review(bearer, []).User;

    /// <summary>TokenReview: the user, the audiences the token is valid for among <paramref name="wanted"/>, or why it is not valid.</summary>
    public (ApiUser? User, IReadOnlyList<string> Audiences, string? Error) Review(string token, IReadOnlyList<string> wanted)
    {
        IReadOnlyList<string> target = wanted.Count == 0 ? [DefaultAudience] : wanted;
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), _admin))
        {
            return (ApiUser.Admin, target, null);
        }

        var (claims, error) = tokens.Verify(token);
        if (claims is null)
        {
            return (null, [], error);
        }

        var subject = claims.Subject;
        lock (store.Sync)
        {
            var sa = store.Get(ResourceRegistry.ServiceAccounts, subject.Namespace, subject.ServiceAccount);
            if (sa is null)
            {
                return (null, [], $"invalid bearer token, service account {subject.Namespace}/{subject.ServiceAccount} has been deleted");
            }

            if (sa.Uid != subject.ServiceAccountUid)
            {
                return (null, [], $"invalid bearer token, service account UID ({subject.ServiceAccountUid}) does not match claim ({sa.Uid})");
            }

            if (subject.PodName is not null && store.Get(ResourceRegistry.Pods, subject.Namespace, subject.PodName)?.Uid != subject.PodUid)
            {
                return (null, [], $"invalid bearer token, pod {subject.Namespace}/{subject.PodName} has been deleted");
            }
        }

        var audiences = target.Where(claims.Audiences.Contains).ToList();
        if (audiences.Count == 0)
        {
            return (null, [], $"invalid bearer token, token audiences [{Quote(claims.Audiences)}] is invalid for the target audiences [{Quote(target)}]");
        }

        var extra = new Dictionary<string, string[]>();
        if (claims.Id is not null)
        {
            extra["authentication.kubernetes.io/credential-id"] = ["JTI=" + claims.Id];
        }

        if (subject.PodName is not null)
        {
            extra["authentication.kubernetes.io/pod-name"] = [subject.PodName];
            extra["authentication.kubernetes.io/pod-uid"] = [subject.PodUid ?? ""];
        }

        var user = ApiUser.ServiceAccount(subject.Namespace, subject.ServiceAccount, subject.ServiceAccountUid) with { Extra = extra };
        return (user, audiences, null);
    }

    private static string Quote(IEnumerable<string> values) => string.Join(" ", values.Select(v => $"\"{v}\""));
}
