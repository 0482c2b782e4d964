using System.Text.Json.Nodes;
using Connectors.Modules.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Model;

/// <summary>Reads a CRD's v1alpha1 schema: every field path with its type, and a sample object with every field.</summary>
internal static class CrdSchema
{
    public static JsonObject Load(params string[] path) => KubeYaml.LoadDocuments(TestData.Read(path)).Single().AsObject();

    public static JsonObject Version(JsonObject crd) => crd["spec"]!["versions"]!.AsArray().Single()!.AsObject();

    public static JsonObject OpenApi(JsonObject crd) => Version(crd)["schema"]!["openAPIV3Schema"]!.AsObject();

    /// <summary>Path -> "type[+preserve][+list=...]" for every node of the schema.</summary>
    public static Dictionary<string, string> Paths(JsonObject crd)
    {
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(OpenApi(crd), string.Empty, paths);
        return paths;
    }

    /// <summary>An instance that sets every field the schema declares, with values valid for their type.</summary>
    public static JsonNode? Sample(JsonObject schema, string path)
    {
        var type = schema["type"]?.GetValue<string>();
        if (schema["enum"] is JsonArray values)
        {
            return values[0]!.DeepClone();
        }

        if (path.EndsWith("lastTransitionTime", StringComparison.Ordinal))
        {
            return "2024-05-06T07:08:09Z";
        }

        if (path == ".metadata")
        {
            return new JsonObject { ["name"] = "sample", ["namespace"] = "default", ["labels"] = new JsonObject { ["a"] = "b" } };
        }

        switch (type)
        {
            case "string":
                return "s" + path.Length;
            case "integer":
                return 7;
            case "boolean":
                return true;
            case "array":
                return new JsonArray(Sample(schema["items"]!.AsObject(), path + "[]"));
        }

        if (schema["properties"] is JsonObject properties)
        {
            var result = new JsonObject();
            foreach (var (name, child) in properties)
            {
                result[name] = Sample(child!.AsObject(), path + "." + name);
            }

            return result;
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            return new JsonObject { ["key"] = Sample(additional, path + "{}") };
        }

        // x-kubernetes-preserve-unknown-fields: any JSON.
        return new JsonObject { ["free"] = new JsonArray(1, "two", new JsonObject { ["three"] = true }) };
    }

    private static void Walk(JsonObject node, string path, Dictionary<string, string> paths)
    {
        var description = node["type"]?.GetValue<string>() ?? "any";
        if (node["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true)
        {
            description += "+preserve";
        }

        if (node["x-kubernetes-list-type"] is { } listType)
        {
            description += "+list=" + listType.GetValue<string>();
        }

        paths[path.Length == 0 ? "." : path] = description;
        if (node["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                Walk(child!.AsObject(), path + "." + name, paths);
            }
        }

        if (node["items"] is JsonObject items)
        {
            Walk(items, path + "[]", paths);
        }

        if (node["additionalProperties"] is JsonObject additional)
        {
            Walk(additional, path + "{}", paths);
        }
    }
}
