using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connectors.Modules.Controller;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Admission;

/// <summary>
/// The webhook listener's one request delegate: <c>POST</c> of an <c>AdmissionReview</c> v1 to
/// <c>/validate-connectors</c>, <c>/validate-connectorclasses</c> or <c>/mutate-pods</c>; the answer is the review
/// with its <c>response</c> (a denial as <c>status</c> 403 Forbidden with the message, as controller-runtime writes it).
/// </summary>
internal sealed partial class AdmissionHandler(ControllerCaches caches, PodAdmission pods, ILogger<AdmissionHandler> logger)
{
    public const string ConnectorsPath = "/validate-connectors";
    public const string ConnectorClassesPath = "/validate-connectorclasses";
    public const string PodsPath = "/mutate-pods";
    private const int MaxBody = 3 << 20;

    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var path = context.Request.Path.Value ?? "";
        if (path is "/healthz" or "/readyz")
        {
            await WriteAsync(context, 200, "ok", "text/plain");
            return;
        }

        if (path is not (ConnectorsPath or ConnectorClassesPath or PodsPath))
        {
            await WriteAsync(context, 404, "not found: the webhook paths are " + string.Join(", ", ConnectorsPath, ConnectorClassesPath, PodsPath), "text/plain");
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await WriteAsync(context, 405, "an AdmissionReview is POSTed", "text/plain");
            return;
        }

        JsonObject? request;
        try
        {
            request = await ReadAsync(context.Request, cancellationToken) is JsonObject review ? review["request"] as JsonObject : null;
        }
        catch (JsonException e)
        {
            await WriteAsync(context, 400, "the body is not JSON: " + e.Message, "text/plain");
            return;
        }

        if (request is null || (string?)request["uid"] is not { Length: > 0 } uid)
        {
            await WriteAsync(context, 400, "the body is not an AdmissionReview with a request and its uid", "text/plain");
            return;
        }

        var decision = await DecideAsync(path, request, cancellationToken);
        Log.Decided(logger, path, (string?)request["operation"] ?? "", $"{request["namespace"]}/{request["name"]}", decision.Allowed);
        await WriteAsync(context, 200, Review(uid, decision).ToJsonString(), "application/json");
    }

    /// <summary>The answer of one review (what the webhook decides, without HTTP).</summary>
    public async Task<AdmissionDecision> DecideAsync(string path, JsonObject request, CancellationToken cancellationToken)
    {
        if (!caches.HasSynced)
        {
            // A replica that has just started answers from a complete cache, or not before the caller's timeout.
            await caches.WaitForSyncAsync(cancellationToken);
        }

        return path switch
        {
            ConnectorsPath => ConnectorAdmission.ReviewConnector(request, name => caches.Classes.Get(null, name)),
            ConnectorClassesPath => ConnectorAdmission.ReviewConnectorClass(request),
            _ => await pods.ReviewAsync(request, cancellationToken),
        };
    }

    public static JsonObject Review(string uid, AdmissionDecision decision)
    {
        var response = new JsonObject { ["uid"] = uid, ["allowed"] = decision.Allowed };
        if (!decision.Allowed)
        {
            response["status"] = new JsonObject { ["code"] = 403, ["reason"] = "Forbidden", ["message"] = decision.Message };
        }

        if (decision.Patch is { Count: > 0 } patch)
        {
            response["patchType"] = "JSONPatch";
            response["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(patch.ToJsonString()));
        }

        if (decision.Warnings is { Count: > 0 } warnings)
        {
            response["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode)w)]);
        }

        return new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response };
    }

    private static async Task<JsonNode?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBody)
            {
                throw new JsonException($"the body is larger than {MaxBody} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        // As deep as the API server stores (a Connector param is any JSON): past System.Text.Json's default of 64 the
        // review was answered 400, which failurePolicy Ignore turns into an admission without the webhook's checks.
        return JsonNode.Parse(buffer.ToArray(), documentOptions: Model.ModelJson.DocumentOptions);
    }

    private static async Task WriteAsync(HttpContext context, int status, string body, string contentType)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private static partial class Log
    {
        [LoggerMessage(10201, LogLevel.Debug, "Admission {Path} {Operation} {Object}: allowed {Allowed}")]
        public static partial void Decided(ILogger logger, string path, string operation, string @object, bool allowed);
    }
}
