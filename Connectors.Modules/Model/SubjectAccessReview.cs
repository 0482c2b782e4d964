namespace Connectors.Modules.Model;

/// <summary>authorization.k8s.io SubjectAccessReview: may this user do this verb on this resource.</summary>
public sealed class SubjectAccessReview : IKubeObject
{
    public string? ApiVersion { get; set; } = "authorization.k8s.io/v1";

    public string? Kind { get; set; } = "SubjectAccessReview";

    public ObjectMeta Metadata { get; set; } = new();

    public SubjectAccessReviewSpec Spec { get; set; } = new();

    public SubjectAccessReviewStatus? Status { get; set; }

    /// <summary>
    /// May <paramref name="user"/> <c>get</c> Connector <paramref name="ns"/>/<paramref name="name"/> (or its
    /// <paramref name="subresource"/>): the one question the proxy, the CSI driver and <c>connectors doctor</c> ask.
    /// </summary>
    public static SubjectAccessReview GetConnector(UserInfo user, string ns, string name, string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new SubjectAccessReview
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
    }

    /// <summary>The user a ServiceAccount's tokens authenticate as, with the groups the API server gives it.</summary>
    public static UserInfo ServiceAccount(string ns, string name) => new()
    {
        Username = $"system:serviceaccount:{ns}:{name}",
        Groups = ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"],
    };
}
