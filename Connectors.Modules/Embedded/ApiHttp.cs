using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connectors.Modules.Model;
using Microsoft.AspNetCore.Http;

namespace Connectors.Modules.Embedded;

/// <summary>Request bodies in (JSON, YAML, Kubernetes protobuf) and responses out (JSON, lists, Status) for <see cref="ApiPipeline"/>.</summary>
internal static class ApiHttp
{
    private const int MaxBodyBytes = 16 << 20;

    public static async Task<JsonNode?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
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

        if (contentType.StartsWith(ProtobufBodies.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return ProtobufBodies.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }

        if (!contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiError.UnsupportedMediaType(contentType);
        }

        return JsonNode.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    public static JsonObject AsObject(JsonNode? body) =>
        body as JsonObject ?? throw ApiError.BadRequest("the body of the request must be a JSON object");

    public static PatchKind PatchKindOf(string? contentType) => contentType?.Split(';')[0].Trim().ToLowerInvariant() switch
    {
        "application/merge-patch+json" => PatchKind.Merge,
        "application/strategic-merge-patch+json" => PatchKind.Strategic,
        "application/json-patch+json" => PatchKind.Json,
        _ => throw ApiError.UnsupportedMediaType(contentType ?? ""),
    };

    public static bool DryRun(IQueryCollection query)
    {
        var values = query["dryRun"];
        if (values.Count == 0)
        {
            return false;
        }

        return values.All(v => v == "All") ? true : throw ApiError.BadRequest($"dryRun: Unsupported value: \"{values}\": supported values: \"All\"");
    }

    public static string IncludeObject(HttpContext context) => context.Request.Query["includeObject"].ToString() is { Length: > 0 } v ? v : "Metadata";

    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    public static async Task WriteListAsync(HttpContext context, ResourceType type, JsonObject metadata, IReadOnlyList<StoredObject> items, CancellationToken cancellationToken)
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

    public static async Task WriteAsync(HttpContext context, int status, JsonNode body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(EmbeddedJson.ToUtf8(body), cancellationToken);
    }

    public static async Task WriteTextAsync(HttpContext context, string text, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, cancellationToken);
    }

    public static async Task FailAsync(HttpContext context, ApiError error, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Headers.Clear();
        await WriteAsync(context, error.Code, error.ToStatus(), cancellationToken);
    }
}
