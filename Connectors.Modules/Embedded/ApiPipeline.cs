using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connectors.Modules.Model;
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
    TimeProvider time,
    ILogger logger)
{
    private const int MaxBodyBytes = 16 << 20;
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
            await FailAsync(context, e, cancellationToken);
        }
        catch (JsonException e)
        {
            await FailAsync(context, ApiError.BadRequest("the body of the request could not be decoded as JSON: " + e.Message), cancellationToken);
        }
        catch (FormatException e)
        {
            await FailAsync(context, ApiError.BadRequest(e.Message), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.Failed(logger, context.Request.Method, context.Request.Path, e);
            await FailAsync(context, new ApiError(500, "InternalError", "Internal error occurred: " + e.Message), cancellationToken);
        }

        Log.Served(logger, context.Request.Method, context.Request.Path + context.Request.QueryString, context.Response.StatusCode);
    }

    private async Task DispatchAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path is "/healthz" or "/livez" or "/readyz")
        {
            await WriteTextAsync(context, "ok", cancellationToken);
            return;
        }

        var user = authenticator.Authenticate(BearerToken(context.Request));
        if (path == "/version")
        {
            await WriteAsync(context, 200, Discovery.Version(), cancellationToken);
            return;
        }

        if (user is null)
        {
            throw ApiError.Unauthorized();
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var request = ApiRequest.Parse(context.Request.Method, segments, context.Request.Query);
        if (request is null)
        {
            Authorize(user, new AccessAttributes(context.Request.Method == "GET" ? "get" : context.Request.Method.ToLowerInvariant(), Path: path), null);
            await WriteAsync(context, 200, NonResource(path, segments) ?? throw ApiError.NotFoundPath(path), cancellationToken);
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
        _ => null,
    };

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
            await watches.StreamAsync(context, request.Type, request.Namespace, o => query.Matches(o) && (name is null || (string?)o["metadata"]?["name"] == name), query, cancellationToken);
            return;
        }

        if (request.Verb == "get")
        {
            var obj = _reads.Get(request.Type, request.Namespace, request.Name!);
            JsonNode answer = accept.Contains("as=Table", StringComparison.Ordinal)
                ? TableConverter.Convert(request.Type, [obj], new JsonObject { ["resourceVersion"] = obj["metadata"]?["resourceVersion"]?.DeepClone() }, IncludeObject(context), time.GetUtcNow())
                : accept.Contains("as=PartialObjectMetadata", StringComparison.Ordinal) ? TableConverter.PartialMetadata(obj) : obj;
            await WriteAsync(context, 200, answer, cancellationToken);
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
            var table = TableConverter.Convert(request.Type, page.Items.Select(i => i.Clone()), metadata, IncludeObject(context), time.GetUtcNow());
            await WriteAsync(context, 200, table, cancellationToken);
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
            await WriteAsync(context, 200, list, cancellationToken);
        }
        else
        {
            await WriteListAsync(context, request.Type, metadata, page.Items, cancellationToken);
        }
    }

    private async Task WriteRequestAsync(HttpContext context, ApiRequest request, ApiUser user, CancellationToken cancellationToken)
    {
        var dryRun = DryRun(context.Request.Query);
        var type = request.Type;
        var body = await ReadBodyAsync(context.Request, cancellationToken);
        switch (request.Verb)
        {
            case "create" when type.Virtual || request.Subresource is not null:
                var computed = type switch
                {
                    _ when request.Subresource == "token" => reviews.CreateToken(request.Namespace!, request.Name!, AsObject(body)),
                    _ when type == ResourceRegistry.TokenReviews => reviews.TokenReview(AsObject(body)),
                    _ when type == ResourceRegistry.SelfSubjectAccessReviews => reviews.AccessReview(type, AsObject(body), user, null),
                    _ when type == ResourceRegistry.LocalSubjectAccessReviews => reviews.AccessReview(type, AsObject(body), null, request.Namespace),
                    _ when type == ResourceRegistry.SubjectAccessReviews => reviews.AccessReview(type, AsObject(body), null, null),
                    _ => throw ApiError.MethodNotAllowed(context.Request.Method),
                };
                await WriteAsync(context, 201, computed, cancellationToken);
                break;
            case "create":
                await WriteAsync(context, 201, _writes.Create(type, request.Namespace, AsObject(body), dryRun), cancellationToken);
                break;
            case "update":
                await WriteAsync(context, 200, _writes.Update(type, request.Namespace, request.Name!, AsObject(body), request.Subresource, dryRun), cancellationToken);
                break;
            case "patch":
                var kind = PatchKindOf(context.Request.ContentType);
                await WriteAsync(context, 200, _writes.Patch(type, request.Namespace, request.Name!, kind, body, request.Subresource, dryRun), cancellationToken);
                break;
            case "delete":
                var (deleted, status) = _writes.Delete(type, request.Namespace, request.Name!, DeleteOptions.From(body as JsonObject, dryRun, context.Request.Query["propagationPolicy"]));
                await WriteAsync(context, status, deleted, cancellationToken);
                break;
            case "deletecollection":
                var query = ListQuery.Parse(context.Request.Query, type);
                await WriteAsync(context, 200, _writes.DeleteCollection(type, request.Namespace, query.Matches, DeleteOptions.From(body as JsonObject, dryRun, context.Request.Query["propagationPolicy"])), cancellationToken);
                break;
            default:
                throw ApiError.MethodNotAllowed(context.Request.Method);
        }
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxBodyBytes)
        {
            throw new ApiError(413, "RequestEntityTooLarge", "Request entity too large: limit is 16777216");
        }

        if (buffer.Length == 0)
        {
            return null;
        }

        var contentType = request.ContentType ?? "application/json";
        if (contentType.StartsWith("application/yaml", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("application/apply-patch+yaml", StringComparison.OrdinalIgnoreCase))
        {
            if (contentType.StartsWith("application/apply-patch", StringComparison.OrdinalIgnoreCase))
            {
                throw ApiError.UnsupportedMediaType(contentType);
            }

            var documents = KubeYaml.LoadDocuments(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            return documents.Count == 1 ? documents[0] : throw ApiError.BadRequest("want one YAML document in the body");
        }

        if (!contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiError.UnsupportedMediaType(contentType);
        }

        return JsonNode.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static JsonObject AsObject(JsonNode? body) =>
        body as JsonObject ?? throw ApiError.BadRequest("the body of the request must be a JSON object");

    private static PatchKind PatchKindOf(string? contentType) => contentType?.Split(';')[0].Trim().ToLowerInvariant() switch
    {
        "application/merge-patch+json" => PatchKind.Merge,
        "application/strategic-merge-patch+json" => PatchKind.Strategic,
        "application/json-patch+json" => PatchKind.Json,
        _ => throw ApiError.UnsupportedMediaType(contentType ?? ""),
    };

    private static bool DryRun(IQueryCollection query)
    {
        var values = query["dryRun"];
        if (values.Count == 0)
        {
            return false;
        }

        return values.All(v => v == "All") ? true : throw ApiError.BadRequest($"dryRun: Unsupported value: \"{values}\": supported values: \"All\"");
    }

    private static string IncludeObject(HttpContext context) => context.Request.Query["includeObject"].ToString() is { Length: > 0 } v ? v : "Metadata";

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    private static async Task WriteListAsync(HttpContext context, ResourceType type, JsonObject metadata, IReadOnlyList<StoredObject> items, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", type.ListKind);
            writer.WriteString("apiVersion", type.ApiVersion);
            writer.WritePropertyName("metadata");
            metadata.WriteTo(writer);
            writer.WriteStartArray("items");
            foreach (var item in items)
            {
                writer.WriteRawValue(item.Json, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonNode body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(EmbeddedJson.ToUtf8(body), cancellationToken);
    }

    private static async Task WriteTextAsync(HttpContext context, string text, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, cancellationToken);
    }

    private static async Task FailAsync(HttpContext context, ApiError error, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Headers.Clear();
        await WriteAsync(context, error.Code, error.ToStatus(), cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(8001, LogLevel.Debug, "Embedded API {Method} {Path} answered {StatusCode}")]
        public static partial void Served(ILogger logger, string method, string path, int statusCode);

        [LoggerMessage(8002, LogLevel.Error, "Embedded API {Method} {Path} failed")]
        public static partial void Failed(ILogger logger, string method, string path, Exception exception);
    }
}
