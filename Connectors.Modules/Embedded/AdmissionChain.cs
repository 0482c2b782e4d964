using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Embedded;

/// <summary>
/// Dynamic admission as kube-apiserver runs it: the mutating webhooks of every
/// <c>MutatingWebhookConfiguration</c> (configurations by name, webhooks in order; JSONPatch answers applied),
/// then the validating webhooks, each sent an <c>AdmissionReview</c> v1 when its rules, namespaceSelector and
/// objectSelector match. A denial becomes <c>admission webhook "&lt;name&gt;" denied the request: &lt;message&gt;</c>;
/// a failed call is an error under <c>failurePolicy: Fail</c> (the default) and skipped under <c>Ignore</c>.
/// Webhook configurations themselves are never sent to webhooks (so a broken webhook can always be removed).
/// </summary>
internal sealed partial class AdmissionChain(ObjectStore store, WebhookCaller caller, ILogger logger)
{
    /// <summary>Whether any webhook configuration exists (the fast path of every write checks it).</summary>
    public bool Active
    {
        get
        {
            lock (store.Sync)
            {
                return store.List(ResourceRegistry.MutatingWebhookConfigurations, null).Any()
                    || store.List(ResourceRegistry.ValidatingWebhookConfigurations, null).Any();
            }
        }
    }

    /// <summary>
    /// Runs the mutating then the validating webhooks; the object to store (mutated), or null for a delete.
    /// <paramref name="warnings"/> receives the webhooks' <c>warnings</c> (the API sends them as <c>Warning</c> headers).
    /// </summary>
    /// <exception cref="ApiError">A webhook denied the request, or failed under <c>failurePolicy: Fail</c>.</exception>
    public async Task<JsonObject?> AdmitAsync(AdmissionAttributes request, JsonObject? obj, JsonObject? oldObject, List<string> warnings, CancellationToken cancellationToken)
    {
        if (request.Type == ResourceRegistry.ValidatingWebhookConfigurations || request.Type == ResourceRegistry.MutatingWebhookConfigurations)
        {
            return obj;
        }

        foreach (var (configuration, webhook) in Webhooks(ResourceRegistry.MutatingWebhookConfigurations))
        {
            var response = await CallIfMatchingAsync(webhook, request, obj, oldObject, warnings, cancellationToken);
            if (response is not null && obj is not null && (string?)response["patch"] is { Length: > 0 } patch)
            {
                obj = ApplyPatch(configuration, webhook, response, obj, patch);
            }
        }

        foreach (var (_, webhook) in Webhooks(ResourceRegistry.ValidatingWebhookConfigurations))
        {
            await CallIfMatchingAsync(webhook, request, obj, oldObject, warnings, cancellationToken);
        }

        return obj;
    }

    private List<(string Configuration, JsonObject Webhook)> Webhooks(ResourceType kind)
    {
        lock (store.Sync)
        {
            return [.. store.List(kind, null)
                .OrderBy(c => c.Name, StringComparer.Ordinal)
                .SelectMany(c => (c.Clone()["webhooks"] as JsonArray ?? []).OfType<JsonObject>().Select(w => (c.Name, (JsonObject)w.DeepClone())))];
        }
    }

    private static JsonObject ApplyPatch(string configuration, JsonObject webhook, JsonObject response, JsonObject obj, string patch)
    {
        var name = (string?)webhook["name"] ?? configuration;
        if ((string?)response["patchType"] != "JSONPatch")
        {
            throw new ApiError(500, "InternalError", $"Internal error occurred: admission webhook \"{name}\" returned a patch of type \"{(string?)response["patchType"]}\"; only JSONPatch is supported");
        }

        try
        {
            var operations = JsonNode.Parse(Convert.FromBase64String(patch));
            return JsonPatch.Apply(obj, operations) as JsonObject
                ?? throw new ApiError(500, "InternalError", $"Internal error occurred: admission webhook \"{name}\" returned a patch that does not produce an object");
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or ApiError)
        {
            throw new ApiError(500, "InternalError", $"Internal error occurred: JSON patch of admission webhook \"{name}\" could not be applied: {e.Message}");
        }
    }

    /// <summary>The webhook's allowed answer, null when it does not match or its failure is ignored.</summary>
    private async Task<JsonObject?> CallIfMatchingAsync(JsonObject webhook, AdmissionAttributes request, JsonObject? obj, JsonObject? oldObject, List<string> warnings, CancellationToken cancellationToken)
    {
        var name = (string?)webhook["name"] ?? "";
        var ignore = (string?)webhook["failurePolicy"] == "Ignore";
        bool matches;
        try
        {
            matches = WebhookRules.Matches(webhook, request) && SelectorsMatch(webhook, request, obj, oldObject);
        }
        catch (FormatException e)
        {
            return Failed(name, ignore, "the webhook's selector is invalid: " + e.Message);
        }

        if (!matches)
        {
            return null;
        }

        if (request.DryRun && (string?)webhook["sideEffects"] is not ("None" or "NoneOnDryRun"))
        {
            throw ApiError.BadRequest($"admission webhook \"{name}\" does not support dry run");
        }

        Func<string, string, JsonObject?> services = (ns, service) =>
        {
            lock (store.Sync)
            {
                return store.Get(ResourceRegistry.Services, ns, service)?.Clone();
            }
        };
        var clientConfig = webhook["clientConfig"] as JsonObject ?? [];
        var (endpoint, error) = WebhookEndpoint.Resolve(clientConfig, services);
        if (endpoint is null)
        {
            return Failed(name, ignore, error!);
        }

        var timeout = TimeSpan.FromSeconds(Math.Clamp(webhook["timeoutSeconds"] is JsonValue t && t.TryGetValue<int>(out var seconds) ? seconds : 10, 1, 30));
        var uid = Guid.NewGuid().ToString();
        JsonObject? response;
        try
        {
            (response, error) = await caller.CallAsync(endpoint, (string?)clientConfig["caBundle"] ?? "", Review(uid, request, obj, oldObject), timeout, cancellationToken);
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
        {
            (response, error) = (null, "clientConfig.caBundle holds no usable PEM certificate: " + e.Message);
        }

        if (response is null)
        {
            return Failed(name, ignore, "failed to call webhook: " + error);
        }

        if ((string?)response["uid"] != uid)
        {
            return Failed(name, ignore, $"expected response.uid=\"{uid}\", got \"{(string?)response["uid"]}\"");
        }

        warnings.AddRange((response["warnings"] as JsonArray ?? []).Select(w => (string?)w).OfType<string>());
        if (response["allowed"] is JsonValue allowed && allowed.TryGetValue<bool>(out var yes) && yes)
        {
            Log.Allowed(logger, name, request.Operation, request.Type.QualifiedName, request.Name);
            return response;
        }

        Log.Denied(logger, name, request.Operation, request.Type.QualifiedName, request.Name);
        throw Denied(name, response["status"] as JsonObject);
    }

    private JsonObject? Failed(string name, bool ignore, string error)
    {
        if (ignore)
        {
            Log.FailureIgnored(logger, name, error);
            return null;
        }

        throw new ApiError(500, "InternalError", $"Internal error occurred: failed calling webhook \"{name}\": {error}");
    }

    /// <summary>kube-apiserver's wording of a denial (k8s.io/apiserver webhook errors.ToStatusErr): code at least 400.</summary>
    private static ApiError Denied(string name, JsonObject? status)
    {
        var code = status?["code"] is JsonValue c && c.TryGetValue<int>(out var given) && given >= 400 ? given : 400;
        var reason = (string?)status?["reason"] ?? "";
        var message = (string?)status?["message"] is { Length: > 0 } m ? $": {m}" : reason.Length > 0 ? $": {reason}" : " without explanation";
        return new ApiError(code, reason, $"admission webhook \"{name}\" denied the request{message}");
    }

    private bool SelectorsMatch(JsonObject webhook, AdmissionAttributes request, JsonObject? obj, JsonObject? oldObject)
    {
        static JsonObject? Labels(JsonObject? o) => o?["metadata"]?["labels"] as JsonObject;
        var objectSelector = webhook["objectSelector"];
        if (!SelectorObject.Matches(objectSelector, Labels(obj)) && !(oldObject is not null && SelectorObject.Matches(objectSelector, Labels(oldObject))))
        {
            return false;
        }

        JsonObject? namespaceLabels;
        if (request.Type == ResourceRegistry.Namespaces)
        {
            namespaceLabels = Labels(obj ?? oldObject);
        }
        else if (request.Namespace is { } ns)
        {
            lock (store.Sync)
            {
                namespaceLabels = Labels(store.Get(ResourceRegistry.Namespaces, null, ns)?.Clone()) ?? [];
            }

            // Every namespace carries this label in a real cluster (NamespaceDefaultLabelName, 1.21+).
            namespaceLabels["kubernetes.io/metadata.name"] = ns;
        }
        else
        {
            return true;
        }

        return SelectorObject.Matches(webhook["namespaceSelector"], namespaceLabels);
    }

    private static JsonObject Review(string uid, AdmissionAttributes request, JsonObject? obj, JsonObject? oldObject)
    {
        var type = request.Type;
        var kind = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind };
        var resource = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["resource"] = type.Plural };
        var user = new JsonObject { ["username"] = request.User.Name, ["groups"] = new JsonArray([.. request.User.Groups.Select(g => (JsonNode)g)]) };
        if (request.User.Uid.Length > 0)
        {
            user["uid"] = request.User.Uid;
        }

        var body = new JsonObject
        {
            ["uid"] = uid,
            ["kind"] = kind,
            ["resource"] = resource,
            ["requestKind"] = kind.DeepClone(),
            ["requestResource"] = resource.DeepClone(),
            ["name"] = request.Name,
            ["operation"] = request.Operation,
            ["userInfo"] = user,
            ["object"] = obj?.DeepClone(),
            ["oldObject"] = oldObject?.DeepClone(),
            ["dryRun"] = request.DryRun,
            ["options"] = new JsonObject
            {
                ["apiVersion"] = "meta.k8s.io/v1",
                ["kind"] = request.Operation switch { "CREATE" => "CreateOptions", "UPDATE" => "UpdateOptions", _ => "DeleteOptions" },
            },
        };
        if (request.Subresource is { } sub)
        {
            body["subResource"] = sub;
            body["requestSubResource"] = sub;
        }

        if (request.Namespace is { } ns)
        {
            body["namespace"] = ns;
        }

        return new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["request"] = body };
    }

    private static partial class Log
    {
        [LoggerMessage(8101, LogLevel.Debug, "Admission webhook {Webhook} allowed {Operation} {Resource} {Name}")]
        public static partial void Allowed(ILogger logger, string webhook, string operation, string resource, string name);

        [LoggerMessage(8102, LogLevel.Information, "Admission webhook {Webhook} denied {Operation} {Resource} {Name}")]
        public static partial void Denied(ILogger logger, string webhook, string operation, string resource, string name);

        [LoggerMessage(8103, LogLevel.Warning, "Admission webhook {Webhook} failed and is ignored (failurePolicy Ignore): {Error}")]
        public static partial void FailureIgnored(ILogger logger, string webhook, string error);
    }
}
