using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Embedded;

/// <summary>
/// The embedded API's one request handler: health, authentication, discovery, RBAC authorization, then the
/// resource verbs, with every failure written as a Kubernetes <c>Status</c>.
/// </summary>
internal sealed partial class ApiPipeline(
    ObjectStore store,
    Authenticator authenticator,
    RbacAuthorizer authorizer,
    ServiceAccountTokens tokens,
    WatchStreamer watches,
    Reviews reviews,
    ResourceWrites writes,
    AdmissionChain admission,
    TimeProvider time,
    ILogger logger)
{
    private readonly ResourceReads _reads = new(store);
    private readonly ResourceWrites _writes = writes;

    /// <summary><c>host:port</c> advertised in <c>/api</c> (set once the listener is bound).</summary>
    public string ServerAddress { get; set; } = "127.0.0.1:0";

    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        try
        {
            await DispatchAsync(context, cancellationToken);
        }
        catch (ApiError e)
        {
            await ApiHttp.FailAsync(context, e, cancellationToken);
        }
        catch (JsonException e)
        {
            await ApiHttp.FailAsync(context, ApiError.BadRequest("the body of the request could not be decoded as JSON: " + e.Message), cancellationToken);
        }
        catch (FormatException e)
        {
            await ApiHttp.FailAsync(context, ApiError.BadRequest(e.Message), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.Failed(logger, context.Request.Method, context.Request.Path, e);
            await ApiHttp.FailAsync(context, new ApiError(500, "InternalError", "Internal error occurred: " + e.Message), cancellationToken);
        }

        Log.Served(logger, context.Request.Method, context.Request.Path + context.Request.QueryString, context.Response.StatusCode);
    }

    private async Task DispatchAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path is "/healthz" or "/livez" or "/readyz")
        {
            await ApiHttp.WriteTextAsync(context, "ok", cancellationToken);
            return;
        }

        var user = authenticator.Authenticate(ApiHttp.BearerToken(context.Request));
        if (path == "/version")
        {
            await ApiHttp.WriteAsync(context, 200, Discovery.Version(), cancellationToken);
            return;
        }

        if (user is null)
        {
            throw ApiError.Unauthorized();
        }

        user = Impersonate(user, context.Request.Headers);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var request = ApiRequest.Parse(context.Request.Method, segments, context.Request.Query);
        if (request is null)
        {
            Authorize(user, new AccessAttributes(context.Request.Method == "GET" ? "get" : context.Request.Method.ToLowerInvariant(), Path: path), null);
            await ApiHttp.WriteAsync(context, 200, NonResource(path, segments) ?? throw ApiError.NotFoundPath(path), cancellationToken);
            return;
        }

        Authorize(user, request.Attributes, request);
        switch (request.Verb)
        {
            case "get" or "list" or "watch":
                await ReadAsync(context, request, cancellationToken);
                break;
            default:
                await WriteRequestAsync(context, request, user, cancellationToken);
                break;
        }
    }

    private JsonObject? NonResource(string path, string[] segments) => segments switch
    {
        ["api"] => Discovery.ApiVersions(ServerAddress),
        ["apis"] => Discovery.GroupList(),
        ["api", var version] => Discovery.ResourceList("", version),
        ["apis", var group] => Discovery.Group(group),
        ["apis", var group, var version] => Discovery.ResourceList(group, version),
        [".well-known", "openid-configuration"] => new JsonObject
        {
            ["issuer"] = tokens.Issuer,
            ["jwks_uri"] = $"https://{ServerAddress}/openid/v1/jwks",
            ["response_types_supported"] = new JsonArray("id_token"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("ES256"),
        },
        ["openid", "v1", "jwks"] => tokens.Jwks(),
        ["openapi", "v3"] => OpenApi.Root(),
        ["openapi", "v3", .. var rest] => OpenApi.GroupVersion(string.Join('/', rest)),
        _ => null,
    };

    /// <summary>
    /// <c>Impersonate-User</c> / <c>Impersonate-Group</c> (<c>kubectl --as</c>, <c>--as-group</c>): the caller must be
    /// allowed to <c>impersonate</c> the user (or ServiceAccount) and each group; the request then runs as them.
    /// </summary>
    private ApiUser Impersonate(ApiUser user, IHeaderDictionary headers)
    {
        var name = headers["Impersonate-User"].ToString();
        var groups = headers["Impersonate-Group"].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        if (name.Length == 0)
        {
            return groups.Count == 0 ? user : throw ApiError.BadRequest("impersonating groups requires impersonating a user");
        }

        var serviceAccount = name.StartsWith("system:serviceaccount:", StringComparison.Ordinal) ? name.Split(':') : null;
        var target = serviceAccount is { Length: 4 }
            ? new AccessAttributes("impersonate", "", "serviceaccounts", "", serviceAccount[2], serviceAccount[3])
            : new AccessAttributes("impersonate", "", "users", Name: name);
        foreach (var attributes in groups.Select(g => new AccessAttributes("impersonate", "", "groups", Name: g)).Prepend(target))
        {
            if (!authorizer.Authorize(user, attributes).Allowed)
            {
                throw ApiError.Forbidden($"{attributes.Resource} \"{attributes.Name}\" is forbidden: User \"{user.Name}\" cannot impersonate resource \"{attributes.Resource}\" in API group \"\" at the cluster scope");
            }
        }

        var impersonated = serviceAccount is { Length: 4 }
            ? ApiUser.ServiceAccount(serviceAccount[2], serviceAccount[3], headers["Impersonate-Uid"].ToString())
            : new ApiUser(name, headers["Impersonate-Uid"].ToString(), []);
        return impersonated with { Groups = [.. impersonated.Groups.Concat(groups).Append(ApiUser.AuthenticatedGroup).Distinct()] };
    }

    private void Authorize(ApiUser user, AccessAttributes attributes, ApiRequest? request)
    {
        if (authorizer.Authorize(user, attributes).Allowed)
        {
            return;
        }

        var what = request is null ? "" : request.Type.QualifiedName + (request.Name is null || request.Verb == "create" && request.Subresource is null ? " " : $" \"{request.Name}\" ");
        throw ApiError.Forbidden($"{what}is forbidden: User \"{user.Name}\" cannot {attributes}".TrimStart());
    }

    private async Task ReadAsync(HttpContext context, ApiRequest request, CancellationToken cancellationToken)
    {
        var query = ListQuery.Parse(context.Request.Query, request.Type);
        var accept = context.Request.Headers.Accept.ToString();
        if (request.Verb == "watch")
        {
            var name = request.Name;
            Func<byte[], bool, byte[]>? asTable = accept.Contains("as=Table", StringComparison.Ordinal)
                ? (json, first) => EmbeddedJson.ToUtf8(TableConverter.Convert(request.Type, [JsonNode.Parse(json)!.AsObject()], [], ApiHttp.IncludeObject(context), time.GetUtcNow(), withColumns: first))
                : null;
            await watches.StreamAsync(context, request.Type, request.Namespace, o => query.Matches(o) && (name is null || (string?)o["metadata"]?["name"] == name), query, asTable, cancellationToken);
            return;
        }

        if (request.Verb == "get")
        {
            var obj = _reads.Get(request.Type, request.Namespace, request.Name!);
            JsonNode answer = accept.Contains("as=Table", StringComparison.Ordinal)
                ? TableConverter.Convert(request.Type, [obj], new JsonObject { ["resourceVersion"] = obj["metadata"]?["resourceVersion"]?.DeepClone() }, ApiHttp.IncludeObject(context), time.GetUtcNow())
                : accept.Contains("as=PartialObjectMetadata", StringComparison.Ordinal) ? TableConverter.PartialMetadata(obj) : obj;
            await ApiHttp.WriteAsync(context, 200, answer, cancellationToken);
            return;
        }

        var page = _reads.List(request.Type, request.Namespace, query);
        var metadata = new JsonObject { ["resourceVersion"] = page.Revision.ToString(CultureInfo.InvariantCulture) };
        if (page.Continue is not null)
        {
            metadata["continue"] = page.Continue;
            metadata["remainingItemCount"] = page.Remaining;
        }

        if (accept.Contains("as=Table", StringComparison.Ordinal))
        {
            var table = TableConverter.Convert(request.Type, page.Items.Select(i => i.Clone()), metadata, ApiHttp.IncludeObject(context), time.GetUtcNow());
            await ApiHttp.WriteAsync(context, 200, table, cancellationToken);
        }
        else if (accept.Contains("as=PartialObjectMetadataList", StringComparison.Ordinal))
        {
            var list = new JsonObject
            {
                ["kind"] = "PartialObjectMetadataList",
                ["apiVersion"] = "meta.k8s.io/v1",
                ["metadata"] = metadata,
                ["items"] = new JsonArray([.. page.Items.Select(i => (JsonNode)TableConverter.PartialMetadata(i.Clone()))]),
            };
            await ApiHttp.WriteAsync(context, 200, list, cancellationToken);
        }
        else
        {
            await ApiHttp.WriteListAsync(context, request.Type, metadata, page.Items, cancellationToken);
        }
    }

    private async Task WriteRequestAsync(HttpContext context, ApiRequest request, ApiUser user, CancellationToken cancellationToken)
    {
        var dryRun = ApiHttp.DryRun(context.Request.Query);
        var type = request.Type;
        var body = await ApiHttp.ReadBodyAsync(context.Request, cancellationToken);
        switch (request.Verb)
        {
            case "create" when type.Virtual || request.Subresource is not null:
                var computed = type switch
                {
                    _ when request.Subresource == "token" => reviews.CreateToken(request.Namespace!, request.Name!, ApiHttp.AsObject(body)),
                    _ when type == ResourceRegistry.TokenReviews => reviews.TokenReview(ApiHttp.AsObject(body)),
                    _ when type == ResourceRegistry.SelfSubjectReviews => Reviews.SelfSubjectReview(user),
                    _ when type == ResourceRegistry.SelfSubjectAccessReviews => reviews.AccessReview(type, ApiHttp.AsObject(body), user, null),
                    _ when type == ResourceRegistry.LocalSubjectAccessReviews => reviews.AccessReview(type, ApiHttp.AsObject(body), null, request.Namespace),
                    _ when type == ResourceRegistry.SubjectAccessReviews => reviews.AccessReview(type, ApiHttp.AsObject(body), null, null),
                    _ => throw ApiError.MethodNotAllowed(context.Request.Method),
                };
                await ApiHttp.WriteAsync(context, 201, computed, cancellationToken);
                break;
            case "create":
                await ApiHttp.WriteAsync(context, 201, await CreateAsync(context, request, ApiHttp.AsObject(body), user, dryRun, cancellationToken), cancellationToken);
                break;
            case "update":
                var update = ApiHttp.AsObject(body);
                var updated = admission.Active
                    ? await UpdateAsync(context, request, user, dryRun, () => _writes.Update(type, request.Namespace, request.Name!, update.DeepClone().AsObject(), request.Subresource, dryRun: true), cancellationToken)
                    : _writes.Update(type, request.Namespace, request.Name!, update, request.Subresource, dryRun);
                await ApiHttp.WriteAsync(context, 200, updated, cancellationToken);
                break;
            case "patch":
                var kind = ApiHttp.PatchKindOf(context.Request.ContentType);
                var patched = admission.Active
                    ? await UpdateAsync(context, request, user, dryRun, () => _writes.Patch(type, request.Namespace, request.Name!, kind, body, request.Subresource, dryRun: true), cancellationToken)
                    : _writes.Patch(type, request.Namespace, request.Name!, kind, body, request.Subresource, dryRun);
                await ApiHttp.WriteAsync(context, 200, patched, cancellationToken);
                break;
            case "delete":
                await AdmitDeleteAsync(context, request, request.Name!, user, dryRun, cancellationToken);
                var (deleted, status) = _writes.Delete(type, request.Namespace, request.Name!, DeleteOptions.From(body as JsonObject, dryRun, context.Request.Query["propagationPolicy"]));
                await ApiHttp.WriteAsync(context, status, deleted, cancellationToken);
                break;
            case "deletecollection":
                var query = ListQuery.Parse(context.Request.Query, type);
                if (admission.Active)
                {
                    foreach (var item in _reads.List(type, request.Namespace, query).Items.Select(i => i.Name).ToList())
                    {
                        await AdmitDeleteAsync(context, request, item, user, dryRun, cancellationToken);
                    }
                }

                await ApiHttp.WriteAsync(context, 200, _writes.DeleteCollection(type, request.Namespace, query.Matches, DeleteOptions.From(body as JsonObject, dryRun, context.Request.Query["propagationPolicy"])), cancellationToken);
                break;
            default:
                throw ApiError.MethodNotAllowed(context.Request.Method);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8001, LogLevel.Debug, "Embedded API {Method} {Path} answered {StatusCode}")]
        public static partial void Served(ILogger logger, string method, string path, int statusCode);

        [LoggerMessage(8002, LogLevel.Error, "Embedded API {Method} {Path} failed")]
        public static partial void Failed(ILogger logger, string method, string path, Exception exception);
    }
}
