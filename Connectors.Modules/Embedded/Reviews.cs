using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>The computed kinds: TokenRequest (<c>serviceaccounts/token</c>), TokenReview and the access reviews.</summary>
internal sealed class Reviews(ObjectStore store, ServiceAccountTokens tokens, Authenticator authenticator, RbacAuthorizer authorizer, TimeProvider time)
{
    private const long DefaultExpirationSeconds = 3600;

    /// <summary><c>POST …/serviceaccounts/&lt;sa&gt;/token</c>: a signed token for the ServiceAccount.</summary>
    public JsonObject CreateToken(string ns, string serviceAccount, JsonObject body)
    {
        var spec = body["spec"] as JsonObject ?? [];
        var audiences = Strings(spec["audiences"]);
        if (audiences.Count == 0)
        {
            audiences = [authenticator.DefaultAudience];
        }

        var seconds = (long?)spec["expirationSeconds"] ?? DefaultExpirationSeconds;
        if (seconds < 600)
        {
            throw ApiError.Invalid(ResourceRegistry.ServiceAccounts, serviceAccount, "spec.expirationSeconds", $"Invalid value: {seconds}: may not specify a duration less than 10 minutes");
        }

        if (seconds > 1L << 32)
        {
            throw ApiError.Invalid(ResourceRegistry.ServiceAccounts, serviceAccount, "spec.expirationSeconds", $"Invalid value: {seconds}: may not specify a duration larger than 2^32 seconds");
        }

        TokenSubject subject;
        lock (store.Sync)
        {
            var sa = store.Get(ResourceRegistry.ServiceAccounts, ns, serviceAccount) ?? throw ApiError.NotFound(ResourceRegistry.ServiceAccounts, serviceAccount);
            subject = new TokenSubject(ns, serviceAccount, sa.Uid);
            if (spec["boundObjectRef"] is JsonObject bound && (string?)bound["kind"] == "Pod")
            {
                var podName = (string?)bound["name"] ?? "";
                var pod = store.Get(ResourceRegistry.Pods, ns, podName) ?? throw ApiError.NotFound(ResourceRegistry.Pods, podName);
                if ((string?)bound["uid"] is { Length: > 0 } uid && uid != pod.Uid)
                {
                    throw ApiError.Conflict(ResourceRegistry.Pods, podName, $"the UID in the bound object reference ({uid}) does not match the UID in record. The object might have been deleted and then recreated");
                }

                subject = subject with { PodName = podName, PodUid = pod.Uid };
            }
        }

        var (token, expires) = tokens.Issue(subject, audiences, TimeSpan.FromSeconds(seconds));
        var response = new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = serviceAccount, ["namespace"] = ns, ["creationTimestamp"] = ObjectRules.Timestamp(time.GetUtcNow()) },
            ["spec"] = new JsonObject
            {
                ["audiences"] = new JsonArray([.. audiences.Select(a => JsonValue.Create(a))]),
                ["expirationSeconds"] = seconds,
                ["boundObjectRef"] = spec["boundObjectRef"]?.DeepClone(),
            },
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = ObjectRules.Timestamp(expires) },
        };
        return response;
    }

    /// <summary><c>POST /apis/authentication.k8s.io/v1/tokenreviews</c>.</summary>
    public JsonObject TokenReview(JsonObject body)
    {
        var token = (string?)body["spec"]?["token"] ?? "";
        var (user, audiences, error) = token.Length == 0
            ? (null, [], "token is empty")
            : authenticator.Review(token, Strings(body["spec"]?["audiences"]));
        var status = new JsonObject();
        if (user is null)
        {
            status["authenticated"] = false;
            status["user"] = new JsonObject();
            status["error"] = error;
        }
        else
        {
            status["authenticated"] = true;
            status["user"] = UserInfo(user);
            status["audiences"] = new JsonArray([.. audiences.Select(a => JsonValue.Create(a))]);
        }

        return Answer(ResourceRegistry.TokenReviews, body, status);
    }

    /// <summary>SubjectAccessReview (<paramref name="self"/> null) or SelfSubjectAccessReview (the caller); LocalSubjectAccessReview when <paramref name="ns"/> is set.</summary>
    public JsonObject AccessReview(ResourceType type, JsonObject body, ApiUser? self, string? ns)
    {
        var spec = body["spec"] as JsonObject ?? [];
        var resource = spec["resourceAttributes"] as JsonObject;
        var nonResource = spec["nonResourceAttributes"] as JsonObject;
        if ((resource is null) == (nonResource is null))
        {
            throw ApiError.Invalid(type, "", "spec.resourceAttributes", "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }

        if (ns is not null && resource is not null && (string?)resource["namespace"] is { Length: > 0 } given && given != ns)
        {
            throw ApiError.Invalid(type, "", "spec.resourceAttributes.namespace", $"Invalid value: \"{given}\": must match metadata.namespace");
        }

        var user = self;
        if (user is null)
        {
            var name = (string?)spec["user"] ?? "";
            var groups = Strings(spec["groups"]);
            if (name.Length == 0 && groups.Count == 0)
            {
                throw ApiError.Invalid(type, "", "spec.user", "Invalid value: \"\": at least one of user or group must be specified");
            }

            user = new ApiUser(name, (string?)spec["uid"] ?? "", groups);
        }

        var attributes = resource is not null
            ? new AccessAttributes(
                (string?)resource["verb"] ?? "", (string?)resource["group"] ?? "", (string?)resource["resource"] ?? "",
                (string?)resource["subresource"] ?? "", ns ?? (string?)resource["namespace"] ?? "", (string?)resource["name"] ?? "")
            : new AccessAttributes((string?)nonResource!["verb"] ?? "", Path: (string?)nonResource["path"] ?? "");
        var (allowed, reason) = authorizer.Authorize(user, attributes);
        var status = new JsonObject { ["allowed"] = allowed };
        if (reason.Length > 0)
        {
            status["reason"] = reason;
        }

        return Answer(type, body, status);
    }

    /// <summary><c>POST /apis/authentication.k8s.io/v1/selfsubjectreviews</c> (<c>kubectl auth whoami</c>): the caller's identity.</summary>
    public static JsonObject SelfSubjectReview(ApiUser user)
    {
        var answer = ResourceRegistry.SelfSubjectReviews.NewObject();
        answer["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        answer["status"] = new JsonObject { ["userInfo"] = UserInfo(user) };
        return answer;
    }

    public static JsonObject UserInfo(ApiUser user)
    {
        var info = new JsonObject
        {
            ["username"] = user.Name,
            ["uid"] = user.Uid,
            ["groups"] = new JsonArray([.. user.Groups.Select(g => JsonValue.Create(g))]),
        };
        if (user.Extra.Count > 0)
        {
            var extra = new JsonObject();
            foreach (var (key, values) in user.Extra)
            {
                extra[key] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]);
            }

            info["extra"] = extra;
        }

        return info;
    }

    private static JsonObject Answer(ResourceType type, JsonObject body, JsonObject status)
    {
        var answer = type.NewObject();
        var metadata = body["metadata"] as JsonObject ?? [];
        metadata["creationTimestamp"] = null;
        answer["metadata"] = metadata.DeepClone();
        answer["spec"] = body["spec"]?.DeepClone() ?? new JsonObject();
        answer["status"] = status;
        return answer;
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray a ? [.. a.Select(v => (string?)v ?? "").Where(v => v.Length > 0)] : [];
}
