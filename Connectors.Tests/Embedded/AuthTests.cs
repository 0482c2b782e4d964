using System.Buffers.Text;
using System.Net;
using System.Text.Json.Nodes;
using Connectors.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Connectors.Tests.Embedded;

/// <summary>ServiceAccount tokens, TokenReview, RBAC-authorized requests and access reviews.</summary>
[TestFixture]
public sealed class AuthTests
{
    private const string DefaultAudience = "https://kubernetes.default.svc.cluster.local";

    [Test, CancelAfter(10_000)]
    public async Task TokenRequest_IssuesSignedJwtWithServiceAccountClaims(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (_, sa) = await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/serviceaccounts", """{"metadata":{"name":"builder"}}""", cancellationToken);
        var (status, response) = await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/serviceaccounts/builder/token", """{"spec":{"expirationSeconds":1200}}""", cancellationToken);
        var token = (string)response["status"]!["token"]!;
        var parts = token.Split('.');
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!;
        var claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((string?)response["kind"], Is.EqualTo("TokenRequest"));
            Assert.That((string?)response["status"]!["expirationTimestamp"], Is.Not.Empty);
            Assert.That((string?)header["alg"], Is.EqualTo("ES256"));
            Assert.That((string?)claims["iss"], Is.EqualTo(DefaultAudience));
            Assert.That((string?)claims["sub"], Is.EqualTo("system:serviceaccount:default:builder"));
            Assert.That(claims["aud"]!.AsArray().Select(a => (string?)a), Is.EqualTo((string[])[DefaultAudience]));
            Assert.That((long)claims["exp"]! - (long)claims["iat"]!, Is.EqualTo(1200));
            Assert.That((long)claims["nbf"]!, Is.EqualTo((long)claims["iat"]!));
            Assert.That((string?)claims["kubernetes.io"]!["namespace"], Is.EqualTo("default"));
            Assert.That((string?)claims["kubernetes.io"]!["serviceaccount"]!["name"], Is.EqualTo("builder"));
            Assert.That((string?)claims["kubernetes.io"]!["serviceaccount"]!["uid"], Is.EqualTo((string?)sa["metadata"]!["uid"]));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task TokenRequest_BadInput_IsRejected(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (shortStatus, _) = await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/serviceaccounts/default/token", """{"spec":{"expirationSeconds":60}}""", cancellationToken);
        var (missingStatus, missing) = await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/serviceaccounts/nobody/token", "{}", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(shortStatus, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(missingStatus, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((string?)missing["message"], Is.EqualTo("serviceaccounts \"nobody\" not found"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task TokenReview_ValidToken_ReturnsServiceAccountUser(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var token = await api.CreateTokenAsync("default", "default", cancellationToken);
        var review = await ReviewAsync(api, token, [], cancellationToken);
        var (_, sa) = await api.SendAsync(HttpMethod.Get, "api/v1/namespaces/default/serviceaccounts/default", null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((bool)review["authenticated"]!, Is.True);
            Assert.That((string?)review["user"]!["username"], Is.EqualTo("system:serviceaccount:default:default"));
            Assert.That((string?)review["user"]!["uid"], Is.EqualTo((string?)sa["metadata"]!["uid"]));
            Assert.That(review["user"]!["groups"]!.AsArray().Select(g => (string?)g), Is.EqualTo((string[])["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"]));
            Assert.That(review["audiences"]!.AsArray().Select(a => (string?)a), Is.EqualTo((string[])[DefaultAudience]));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task TokenReview_Audiences_AreIntersectedOrRejected(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var token = await api.CreateTokenAsync("default", "default", cancellationToken, "b", "c");
        var matching = await ReviewAsync(api, token, ["a", "b"], cancellationToken);
        var other = await ReviewAsync(api, token, ["x"], cancellationToken);
        var defaultAudience = await ReviewAsync(api, token, [], cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((bool)matching["authenticated"]!, Is.True);
            Assert.That(matching["audiences"]!.AsArray().Select(a => (string?)a), Is.EqualTo((string[])["b"]));
            Assert.That((bool)other["authenticated"]!, Is.False);
            Assert.That((string?)other["error"], Does.Contain("token audiences"));
            Assert.That((bool)defaultAudience["authenticated"]!, Is.False, "a token for other audiences is not valid for the API server");
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task TokenReview_ExpiredTamperedOrDeletedServiceAccount_IsNotAuthenticated(CancellationToken cancellationToken)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = await EmbeddedApi.StartAsync(cancellationToken, timeProvider: clock);
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/serviceaccounts", """{"metadata":{"name":"temp"}}""", cancellationToken);
        var expiring = await api.CreateTokenAsync("default", "default", cancellationToken);
        var deleted = await api.CreateTokenAsync("default", "temp", cancellationToken);
        var tampered = expiring[..^4] + (expiring[^4] == 'A' ? "BBBB" : "AAAA");
        await api.SendAsync(HttpMethod.Delete, "api/v1/namespaces/default/serviceaccounts/temp", null, cancellationToken);
        var deletedReview = await ReviewAsync(api, deleted, [], cancellationToken);
        var tamperedReview = await ReviewAsync(api, tampered, [], cancellationToken);
        var (deletedRequest, _) = await api.SendAsync(HttpMethod.Get, "api/v1/namespaces", null, cancellationToken, token: deleted);
        clock.Advance(TimeSpan.FromHours(2));
        var expiredReview = await ReviewAsync(api, expiring, [], cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((bool)deletedReview["authenticated"]!, Is.False);
            Assert.That((string?)deletedReview["error"], Does.Contain("deleted"));
            Assert.That((bool)tamperedReview["authenticated"]!, Is.False);
            Assert.That(deletedRequest, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((bool)expiredReview["authenticated"]!, Is.False);
            Assert.That((string?)expiredReview["error"], Does.Contain("expired"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task TokenRequest_BoundToPod_CarriesPodAndDiesWithIt(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (_, pod) = await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/pods", """{"metadata":{"name":"p"},"spec":{"serviceAccountName":"default","containers":[{"name":"c","image":"x"}]}}""", cancellationToken);
        var request = new JsonObject { ["spec"] = new JsonObject { ["audiences"] = new JsonArray("connectors"), ["boundObjectRef"] = new JsonObject { ["kind"] = "Pod", ["apiVersion"] = "v1", ["name"] = "p", ["uid"] = pod["metadata"]!["uid"]!.DeepClone() } } };
        var (_, response) = await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/serviceaccounts/default/token", request.ToJsonString(), cancellationToken);
        var token = (string)response["status"]!["token"]!;
        var alive = await ReviewAsync(api, token, ["connectors"], cancellationToken);
        await api.SendAsync(HttpMethod.Delete, "api/v1/namespaces/default/pods/p", null, cancellationToken);
        var dead = await ReviewAsync(api, token, ["connectors"], cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)alive["user"]!["extra"]!["authentication.kubernetes.io/pod-name"]![0], Is.EqualTo("p"));
            Assert.That((bool)dead["authenticated"]!, Is.False);
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task ServiceAccountRequests_AreAuthorizedByRbac(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces", """{"metadata":{"name":"team"}}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, "apis/connectors.alauda.io/v1alpha1/namespaces/team/connectors", """{"metadata":{"name":"git"},"spec":{"address":"https://g"}}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, "apis/connectors.alauda.io/v1alpha1/namespaces/team/connectors", """{"metadata":{"name":"other"},"spec":{"address":"https://o"}}""", cancellationToken);
        var token = await api.CreateTokenAsync("team", "default", cancellationToken);
        const string Git = "apis/connectors.alauda.io/v1alpha1/namespaces/team/connectors/git";

        var (before, forbidden) = await api.SendAsync(HttpMethod.Get, Git, null, cancellationToken, token: token);
        await api.SendAsync(HttpMethod.Post, "apis/rbac.authorization.k8s.io/v1/clusterroles", """{"metadata":{"name":"connector-user"},"rules":[{"apiGroups":["connectors.alauda.io"],"resources":["connectors"],"verbs":["get"],"resourceNames":["git"]}]}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, "apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings", """{"metadata":{"name":"use-git"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"connector-user"},"subjects":[{"kind":"ServiceAccount","name":"default","namespace":"team"}]}""", cancellationToken);
        var (after, _) = await api.SendAsync(HttpMethod.Get, Git, null, cancellationToken, token: token);
        var (otherName, _) = await api.SendAsync(HttpMethod.Get, "apis/connectors.alauda.io/v1alpha1/namespaces/team/connectors/other", null, cancellationToken, token: token);
        var (list, _) = await api.SendAsync(HttpMethod.Get, "apis/connectors.alauda.io/v1alpha1/namespaces/team/connectors", null, cancellationToken, token: token);
        var (discovery, _) = await api.SendAsync(HttpMethod.Get, "apis", null, cancellationToken, token: token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((string?)forbidden["message"], Is.EqualTo("connectors.connectors.alauda.io \"git\" is forbidden: User \"system:serviceaccount:team:default\" cannot get resource \"connectors\" in API group \"connectors.alauda.io\" in the namespace \"team\""));
            Assert.That(after, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(otherName, Is.EqualTo(HttpStatusCode.Forbidden), "resourceNames limit the grant");
            Assert.That(list, Is.EqualTo(HttpStatusCode.Forbidden), "a named grant does not allow list");
            Assert.That(discovery, Is.EqualTo(HttpStatusCode.OK), "every authenticated user reads discovery");
        }
    }

    [TestCase("get", "", "pods", "", "team", "", "system:serviceaccount:team:reader", true, TestName = "SubjectAccessReview_RoleInNamespace_Allows")]
    [TestCase("get", "", "pods", "", "other", "", "system:serviceaccount:team:reader", false, TestName = "SubjectAccessReview_RoleElsewhere_Denies")]
    [TestCase("delete", "", "pods", "", "team", "", "system:serviceaccount:team:reader", false, TestName = "SubjectAccessReview_OtherVerb_Denies")]
    [TestCase("update", "connectors.alauda.io", "connectors", "status", "team", "x", "system:serviceaccount:team:reader", true, TestName = "SubjectAccessReview_WildcardSubresource_Allows")]
    [TestCase("update", "connectors.alauda.io", "connectors", "", "team", "x", "system:serviceaccount:team:reader", false, TestName = "SubjectAccessReview_SubresourceRuleNotMain_Denies")]
    [TestCase("list", "apps", "deployments", "", "anywhere", "", "alice", true, TestName = "SubjectAccessReview_ClusterRoleBindingToUser_AllowsEverywhere")]
    [TestCase("watch", "coordination.k8s.io", "leases", "", "kube-system", "", "bob", true, TestName = "SubjectAccessReview_GroupSubjectAndStarVerbs_Allows")]
    [CancelAfter(10_000)]
    public async Task SubjectAccessReview_EvaluatesRbac(string verb, string group, string resource, string subresource, string ns, string name, string user, bool allowed, CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces", """{"metadata":{"name":"team"}}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, "apis/rbac.authorization.k8s.io/v1/namespaces/team/roles", """{"metadata":{"name":"reader"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]},{"apiGroups":["*"],"resources":["*/status"],"verbs":["update"]}]}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, "apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings", """{"metadata":{"name":"reader"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"reader"},"subjects":[{"kind":"ServiceAccount","name":"reader"}]}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, "apis/rbac.authorization.k8s.io/v1/clusterroles", """{"metadata":{"name":"deploy-lister"},"rules":[{"apiGroups":["apps"],"resources":["deployments"],"verbs":["list"]}]}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, "apis/rbac.authorization.k8s.io/v1/clusterrolebindings", """{"metadata":{"name":"alice"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"deploy-lister"},"subjects":[{"kind":"User","name":"alice"}]}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, "apis/rbac.authorization.k8s.io/v1/clusterroles", """{"metadata":{"name":"leases"},"rules":[{"apiGroups":["coordination.k8s.io"],"resources":["leases"],"verbs":["*"]}]}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, "apis/rbac.authorization.k8s.io/v1/clusterrolebindings", """{"metadata":{"name":"leases"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"leases"},"subjects":[{"kind":"Group","name":"elect"}]}""", cancellationToken);

        var review = new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SubjectAccessReview",
            ["spec"] = new JsonObject
            {
                ["user"] = user,
                ["groups"] = user == "bob" ? new JsonArray("elect", "system:authenticated") : new JsonArray("system:authenticated"),
                ["resourceAttributes"] = new JsonObject { ["verb"] = verb, ["group"] = group, ["resource"] = resource, ["subresource"] = subresource, ["namespace"] = ns, ["name"] = name },
            },
        };
        var (status, answer) = await api.SendAsync(HttpMethod.Post, "apis/authorization.k8s.io/v1/subjectaccessreviews", review.ToJsonString(), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((bool)answer["status"]!["allowed"]!, Is.EqualTo(allowed));
            if (allowed)
            {
                Assert.That((string?)answer["status"]!["reason"], Does.StartWith("RBAC: allowed by"));
            }
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task AccessReviews_NonResourceSelfAndInvalid(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, "apis/rbac.authorization.k8s.io/v1/clusterroles", """{"metadata":{"name":"metrics"},"rules":[{"nonResourceURLs":["/metrics*"],"verbs":["get"]}]}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, "apis/rbac.authorization.k8s.io/v1/clusterrolebindings", """{"metadata":{"name":"metrics"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"metrics"},"subjects":[{"kind":"User","name":"prom"}]}""", cancellationToken);
        var (_, nonResource) = await api.SendAsync(HttpMethod.Post, "apis/authorization.k8s.io/v1/subjectaccessreviews", """{"spec":{"user":"prom","nonResourceAttributes":{"path":"/metrics/x","verb":"get"}}}""", cancellationToken);
        var (invalid, _) = await api.SendAsync(HttpMethod.Post, "apis/authorization.k8s.io/v1/subjectaccessreviews", """{"spec":{"user":"prom"}}""", cancellationToken);
        var token = await api.CreateTokenAsync("default", "default", cancellationToken);
        var (selfStatus, self) = await api.SendAsync(HttpMethod.Post, "apis/authorization.k8s.io/v1/selfsubjectaccessreviews", """{"spec":{"resourceAttributes":{"verb":"get","resource":"secrets","namespace":"default"}}}""", cancellationToken, token: token);
        var (_, local) = await api.SendAsync(HttpMethod.Post, "apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews", """{"spec":{"user":"kubernetes-admin","groups":["system:masters"],"resourceAttributes":{"verb":"get","resource":"secrets"}}}""", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((bool)nonResource["status"]!["allowed"]!, Is.True);
            Assert.That(invalid, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(selfStatus, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((bool)self["status"]!["allowed"]!, Is.False);
            Assert.That((bool)local["status"]!["allowed"]!, Is.True);
        }
    }

    private static async Task<JsonObject> ReviewAsync(EmbeddedApi api, string token, string[] audiences, CancellationToken cancellationToken)
    {
        var review = new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["kind"] = "TokenReview",
            ["spec"] = new JsonObject { ["token"] = token, ["audiences"] = new JsonArray([.. audiences.Select(a => JsonValue.Create(a))]) },
        };
        var (status, answer) = await api.SendAsync(HttpMethod.Post, "apis/authentication.k8s.io/v1/tokenreviews", review.ToJsonString(), cancellationToken);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created));
        return answer["status"]!.AsObject();
    }
}
