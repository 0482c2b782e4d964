using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Connectors.Modules.Embedded;

/// <summary>The writes of <see cref="ApiPipeline"/> that go through the admission webhooks (<see cref="AdmissionChain"/>).</summary>
internal sealed partial class ApiPipeline
{
    private static readonly object WarningsKey = new();

    /// <summary>A create, through the admission webhooks when any are registered: they see the object as it would be stored.</summary>
    private async Task<JsonObject> CreateAsync(HttpContext context, ApiRequest request, JsonObject body, ApiUser user, bool dryRun, CancellationToken cancellationToken)
    {
        if (!admission.Active)
        {
            return _writes.Create(request.Type, request.Namespace, body, dryRun);
        }

        var prepared = _writes.Create(request.Type, request.Namespace, body, dryRun: true);
        var attributes = new AdmissionAttributes("CREATE", request.Type, request.Namespace, (string?)prepared["metadata"]?["name"] ?? "", null, user, dryRun);
        var admitted = await admission.AdmitAsync(attributes, prepared, null, Warnings(context), cancellationToken);
        return _writes.Create(request.Type, request.Namespace, admitted!, dryRun);
    }

    /// <summary>
    /// An update or patch: <paramref name="preview"/> computes the object it would store (a dry run), the webhooks
    /// admit (and may mutate) it, and it is stored as an update conditional on the version they saw; a write in
    /// between makes the whole round start again (kube-apiserver retries patches the same way).
    /// </summary>
    private async Task<JsonObject> UpdateAsync(HttpContext context, ApiRequest request, ApiUser user, bool dryRun, Func<JsonObject> preview, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var old = _reads.Get(request.Type, request.Namespace, request.Name!);
            var next = preview();
            next["metadata"]!["resourceVersion"] = old["metadata"]?["resourceVersion"]?.DeepClone();
            var attributes = new AdmissionAttributes("UPDATE", request.Type, request.Namespace, request.Name!, request.Subresource, user, dryRun);
            var admitted = await admission.AdmitAsync(attributes, next, old, Warnings(context), cancellationToken);
            try
            {
                return _writes.Update(request.Type, request.Namespace, request.Name!, admitted!, request.Subresource, dryRun);
            }
            catch (ApiError e) when (e.Code == 409 && request.Verb == "patch" && attempt < 5)
            {
                // Someone wrote in between: patch the newer object.
            }
        }
    }

    private async Task AdmitDeleteAsync(HttpContext context, ApiRequest request, string name, ApiUser user, bool dryRun, CancellationToken cancellationToken)
    {
        if (admission.Active)
        {
            var old = _reads.Get(request.Type, request.Namespace, name);
            await admission.AdmitAsync(new AdmissionAttributes("DELETE", request.Type, request.Namespace, name, null, user, dryRun), null, old, Warnings(context), cancellationToken);
        }
    }

    /// <summary>
    /// The request's list whose entries become <c>Warning: 299 - "..."</c> response headers, as kube-apiserver sends
    /// webhook warnings: one list per request (a delete of a collection or a retried patch admits several times), each
    /// text sent once, as kube-apiserver's warning recorder drops repeats.
    /// </summary>
    private static List<string> Warnings(HttpContext context)
    {
        if (context.Items[WarningsKey] is List<string> existing)
        {
            return existing;
        }

        var warnings = new List<string>();
        context.Items[WarningsKey] = warnings;
        context.Response.OnStarting(() =>
        {
            foreach (var warning in warnings.Distinct(StringComparer.Ordinal))
            {
                // RFC 9111 5.5 warn-text is a quoted-string: backslash and quote escaped.
                var text = warning.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
                context.Response.Headers.Append("Warning", $"299 - \"{text}\"");
            }

            return Task.CompletedTask;
        });
        return warnings;
    }
}
