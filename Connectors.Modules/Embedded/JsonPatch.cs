using System.Globalization;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>JSON Patch (RFC 6902): add, remove, replace, move, copy, test over JSON Pointers (RFC 6901).</summary>
internal static class JsonPatch
{
    /// <exception cref="ApiError">422 (a failed test or a missing path) or 400 (not a JSON Patch).</exception>
    public static JsonNode Apply(JsonNode target, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiError.BadRequest("a JSON Patch must be an array of operations");
        }

        var doc = target.DeepClone();
        foreach (var op in operations)
        {
            if (op is not JsonObject)
            {
                throw ApiError.BadRequest("a JSON Patch operation must be an object");
            }

            var kind = (string?)op["op"] ?? throw ApiError.BadRequest("JSON Patch operation without \"op\"");
            var path = (string?)op["path"] ?? throw ApiError.BadRequest($"JSON Patch {kind} without \"path\"");
            switch (kind)
            {
                case "add":
                    doc = Add(doc, path, op["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(doc, path);
                    break;
                case "replace":
                    _ = Get(doc, path);
                    Remove(doc, path);
                    doc = Add(doc, path, op["value"]?.DeepClone());
                    break;
                case "move":
                    var moved = Get(doc, (string?)op["from"] ?? "")?.DeepClone();
                    Remove(doc, (string?)op["from"] ?? "");
                    doc = Add(doc, path, moved);
                    break;
                case "copy":
                    doc = Add(doc, path, Get(doc, (string?)op["from"] ?? "")?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(doc, path), op["value"]))
                    {
                        throw Unprocessable($"test failed at {path}");
                    }

                    break;
                default:
                    throw ApiError.BadRequest($"unknown JSON Patch operation \"{kind}\"");
            }
        }

        return doc;
    }

    private static JsonNode? Get(JsonNode doc, string path)
    {
        JsonNode? node = doc;
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when Index(token, a.Count - 1) is { } i => a[i],
                _ => throw Unprocessable($"path {path} does not exist"),
            };
        }

        return node;
    }

    private static JsonNode Add(JsonNode doc, string path, JsonNode? value)
    {
        var tokens = Tokens(path);
        if (tokens.Count == 0)
        {
            return value ?? throw Unprocessable("cannot replace the document with null");
        }

        var parent = Parent(doc, tokens, path);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when Index(last, a.Count) is { } i:
                a.Insert(i, value);
                break;
            default:
                throw Unprocessable($"path {path} does not exist");
        }

        return doc;
    }

    private static void Remove(JsonNode doc, string path)
    {
        var tokens = Tokens(path);
        var parent = tokens.Count > 0 ? Parent(doc, tokens, path) : null;
        var last = tokens.Count > 0 ? tokens[^1] : "";
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when Index(last, a.Count - 1) is { } i:
                a.RemoveAt(i);
                break;
            default:
                throw Unprocessable($"path {path} does not exist");
        }
    }

    private static JsonNode? Parent(JsonNode doc, List<string> tokens, string path)
    {
        JsonNode? node = doc;
        foreach (var token in tokens.Take(tokens.Count - 1))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when Index(token, a.Count - 1) is { } i => a[i],
                _ => throw Unprocessable($"path {path} does not exist"),
            };
        }

        return node;
    }

    private static int? Index(string token, int max) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= max ? i : null;

    private static List<string> Tokens(string path) =>
        path.Length == 0 ? [] : [.. path.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    private static ApiError Unprocessable(string message) => new(422, "Invalid", "the server rejected our request due to an error in our request: " + message);
}
