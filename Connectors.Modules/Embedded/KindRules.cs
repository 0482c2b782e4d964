using System.Text;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>Per-kind defaults and checks (Secret, ConfigMap, Service, RBAC bindings, Connectors).</summary>
internal static class KindRules
{
    /// <summary>Defaults <paramref name="obj"/> in place; <paramref name="old"/> is the stored version on update.</summary>
    public static void Normalize(ResourceType type, JsonObject obj, JsonObject? old)
    {
        if (type == ResourceRegistry.Secrets)
        {
            FoldStringData(obj);
            obj["type"] ??= "Opaque";
            if (old is not null && (string?)old["type"] != (string?)obj["type"])
            {
                throw ApiError.Invalid(type, (string?)obj["metadata"]?["name"], "type", $"Invalid value: \"{obj["type"]}\": field is immutable");
            }
        }

        if ((type == ResourceRegistry.Secrets || type == ResourceRegistry.ConfigMaps) && old is not null && old["immutable"]?.GetValue<bool>() == true)
        {
            if (!JsonNode.DeepEquals(old["data"], obj["data"]) || !JsonNode.DeepEquals(old["binaryData"], obj["binaryData"]) || obj["immutable"]?.GetValue<bool>() != true)
            {
                throw ApiError.Invalid(type, (string?)obj["metadata"]?["name"], "data", "Forbidden: field is immutable when `immutable` is set");
            }
        }

        if (type == ResourceRegistry.Services && obj["spec"] is JsonObject spec)
        {
            spec["type"] ??= "ClusterIP";
            if (old?["spec"]?["clusterIP"] is { } ip && string.IsNullOrEmpty((string?)spec["clusterIP"]))
            {
                spec["clusterIP"] = ip.DeepClone();
                spec["clusterIPs"] = new JsonArray(ip.DeepClone());
            }

            if (spec["ports"] is JsonArray ports)
            {
                foreach (var port in ports.OfType<JsonObject>())
                {
                    port["protocol"] ??= "TCP";
                    port["targetPort"] ??= port["port"]?.DeepClone();
                }
            }
        }

        if ((type == ResourceRegistry.RoleBindings || type == ResourceRegistry.ClusterRoleBindings) && old is not null && !JsonNode.DeepEquals(old["roleRef"], obj["roleRef"]))
        {
            throw ApiError.Invalid(type, (string?)obj["metadata"]?["name"], "roleRef", "Invalid value: cannot change roleRef");
        }
    }

    public static void Validate(ResourceType type, JsonObject obj, string name)
    {
        if (type == ResourceRegistry.Secrets || type == ResourceRegistry.ConfigMaps)
        {
            foreach (var field in type == ResourceRegistry.Secrets ? new[] { "data" } : ["binaryData"])
            {
                if (obj[field] is JsonObject data)
                {
                    foreach (var (key, value) in data)
                    {
                        if (value is not JsonValue v || !v.TryGetValue<string>(out var text) || !IsBase64(text))
                        {
                            throw ApiError.BadRequest($"{type.Kind} in version \"v1\" cannot be handled as a {type.Kind}: illegal base64 data in {field}.{key}");
                        }
                    }
                }
            }
        }

        if (type == ResourceRegistry.RoleBindings || type == ResourceRegistry.ClusterRoleBindings)
        {
            if (string.IsNullOrEmpty((string?)obj["roleRef"]?["name"]) || (string?)obj["roleRef"]?["kind"] is not ("Role" or "ClusterRole"))
            {
                throw ApiError.Invalid(type, name, "roleRef", "Required value: kind Role or ClusterRole and a name");
            }

            if (type == ResourceRegistry.ClusterRoleBindings && (string?)obj["roleRef"]?["kind"] != "ClusterRole")
            {
                throw ApiError.Invalid(type, name, "roleRef.kind", "Unsupported value: only ClusterRole is allowed");
            }
        }

        if (type.Custom)
        {
            foreach (var field in new[] { "spec", "status" })
            {
                if (obj[field] is { } node && node is not JsonObject)
                {
                    throw ApiError.Invalid(type, name, field, $"Invalid value: \"{node.GetValueKind().ToString().ToLowerInvariant()}\": {field} in body must be of type object");
                }
            }

            foreach (var field in type == ResourceRegistry.Connectors ? new[] { "address", "connectorClassName" } : [])
            {
                if (obj["spec"]?[field] is { } value && (value is not JsonValue v || !v.TryGetValue<string>(out _)))
                {
                    throw ApiError.Invalid(type, name, "spec." + field, $"Invalid value: \"{value.GetValueKind().ToString().ToLowerInvariant()}\": spec.{field} in body must be of type string");
                }
            }
        }
    }

    /// <summary><c>stringData</c> is write-only: each key overwrites <c>data</c> with its base64 form, as the real API does.</summary>
    private static void FoldStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
        {
            secret.Remove("stringData");
            return;
        }

        if (secret["data"] is not JsonObject data)
        {
            data = [];
            secret["data"] = data;
        }

        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes((string?)value ?? ""));
        }

        secret.Remove("stringData");
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out _);
    }
}
