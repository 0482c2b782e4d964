using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// A minimal <c>/openapi/v3</c>: per group-version documents with one PATCH operation per kind that declares the
/// <c>fieldValidation</c> and <c>dryRun</c> parameters and accepts merge and JSON patches. That is what kubectl
/// reads to decide that the server validates fields itself (so it skips client-side schema validation) and
/// supports server dry-run; without a strategic-merge-patch body kubectl computes strategic patches for built-in
/// kinds from its compiled-in types and JSON merge patches for Connectors, as against a real cluster.
/// There are no schemas (<c>kubectl explain</c> has nothing to show) and <c>/openapi/v2</c> is 404.
/// </summary>
internal static class OpenApi
{
    private const string Hash = "connectors-embedded-1";

    public static JsonObject Root()
    {
        var paths = new JsonObject();
        foreach (var gv in ResourceRegistry.All.Select(t => t.ApiVersion).Distinct())
        {
            var key = GroupVersionPath(gv);
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document of <c>api/v1</c> or <c>apis/&lt;group&gt;/&lt;version&gt;</c>; null when not served.</summary>
    public static JsonObject? GroupVersion(string path)
    {
        var types = ResourceRegistry.All.Where(t => !t.Virtual && GroupVersionPath(t.ApiVersion) == path).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        foreach (var type in types)
        {
            var item = "/" + path + (type.Namespaced ? "/namespaces/{namespace}/" : "/") + type.Plural + "/{name}";
            paths[item] = new JsonObject { ["patch"] = PatchOperation(type) };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = Discovery.KubernetesVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static JsonObject PatchOperation(ResourceType type)
    {
        static JsonObject Query(string name) => new() { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } };
        static JsonObject Body() => new() { ["schema"] = new JsonObject { ["type"] = "object" } };
        return new JsonObject
        {
            ["operationId"] = "patch" + type.Kind,
            ["parameters"] = new JsonArray(Query("dryRun"), Query("fieldManager"), Query("fieldValidation"), Query("force")),
            ["requestBody"] = new JsonObject
            {
                ["content"] = new JsonObject { ["application/json-patch+json"] = Body(), ["application/merge-patch+json"] = Body() },
                ["required"] = true,
            },
            ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
            ["x-kubernetes-action"] = "patch",
            ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["kind"] = type.Kind, ["version"] = type.Version },
        };
    }

    private static string GroupVersionPath(string apiVersion) => apiVersion.Contains('/', StringComparison.Ordinal) ? "apis/" + apiVersion : "api/" + apiVersion;
}
