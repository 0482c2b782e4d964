using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Templates;

/// <summary>
/// Builds the Go-struct-shaped data that probe templates see, from the Connector's JSON:
/// <list type="bullet">
/// <item><c>metadata.name</c>/<c>namespace</c>/<c>labels</c>/<c>annotations</c> → <c>.Connector.Name</c>, <c>.Namespace</c>, <c>.Labels</c>, <c>.Annotations</c> (promoted from ObjectMeta)</item>
/// <item><c>spec.connectorClassName</c> → <c>.Connector.Spec.ConnectorClassName</c>; <c>spec.address</c> → <c>.Connector.Spec.Address</c></item>
/// <item><c>spec.auth.name</c> → <c>.Spec.Auth.Name</c>; <c>spec.auth.secretRef</c> → <c>.Spec.Auth.SecretRef</c> (<c>.Name</c>, <c>.Namespace</c>; nil when absent)</item>
/// <item><c>spec.auth.params[]</c> and <c>spec.params[]</c> → <c>.Params</c> items with <c>.Name</c> and <c>.Value</c>: a string value → <c>.Value.StringVal</c>
/// (<c>.Value.Type</c> "string"), an array → <c>.Value.ArrayVal</c> ("array"), an object → <c>.Value.ObjectVal</c> ("object")</item>
/// <item>the Secret's decoded data → <c>.Secret.StringData.&lt;key&gt;</c>; <c>.Secret</c> is a nil pointer (false in <c>if</c>) without a Secret</item>
/// </list>
/// Missing fields hold Go zero values (empty strings, empty lists and maps), and unknown field names are errors,
/// as with the controller's typed structs.
/// </summary>
internal static class ProbeDataView
{
    public static GoStruct Create(JsonNode? connector, IReadOnlyDictionary<string, string>? secret)
    {
        object? connectorValue = connector is JsonObject c ? Connector(c) : new GoTypedNil("*v1alpha1.Connector");
        object? secretValue = secret is null ? new GoTypedNil("*v1.Secret") : Secret(secret);
        return new GoStruct("templates.ProbeData", false, [new("Connector", connectorValue), new("Secret", secretValue)]);
    }

    private static GoStruct Connector(JsonObject c)
    {
        var spec = c["spec"] as JsonObject ?? [];
        var auth = spec["auth"] as JsonObject ?? [];
        var secretRef = auth["secretRef"] is JsonObject r
            ? new GoStruct("v1alpha1.SecretRef", true, [new("Name", Str(r["name"])), new("Namespace", Str(r["namespace"]))])
            : (object)new GoTypedNil("*v1alpha1.SecretRef");
        var authStruct = new GoStruct("v1alpha1.ConnectorAuth", false,
            [new("Name", Str(auth["name"])), new("SecretRef", secretRef), new("Params", Params(auth["params"]))]);
        var specStruct = new GoStruct("v1alpha1.ConnectorSpec", false,
        [
            new("ConnectorClassName", Str(spec["connectorClassName"])),
            new("Address", Str(spec["address"])),
            new("Auth", authStruct),
            new("Params", Params(spec["params"])),
        ]);
        return new GoStruct("v1alpha1.Connector", true, [new("ObjectMeta", Meta(c["metadata"] as JsonObject), Embedded: true), new("Spec", specStruct)]);
    }

    private static GoStruct Secret(IReadOnlyDictionary<string, string> data)
    {
        var stringData = new GoMap(data.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal), "string");
        return new GoStruct("v1.Secret", true, [new("ObjectMeta", Meta(null), Embedded: true), new("Type", "Opaque"), new("StringData", stringData)]);
    }

    private static GoStruct Meta(JsonObject? m) => new("v1.ObjectMeta", false,
    [
        new("Name", Str(m?["name"])),
        new("Namespace", Str(m?["namespace"])),
        new("Labels", StringMap(m?["labels"])),
        new("Annotations", StringMap(m?["annotations"])),
    ]);

    private static string Str(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : n?.ToJsonString() ?? string.Empty;

    private static GoMap StringMap(JsonNode? n) =>
        new(n is JsonObject o ? o.ToDictionary(p => p.Key, p => (object?)Str(p.Value), StringComparer.Ordinal) : new Dictionary<string, object?>(StringComparer.Ordinal), "string");

    private static GoList Params(JsonNode? n)
    {
        if (n is not JsonArray array)
        {
            return new GoList([], "v1alpha1.Param");
        }

        var items = array.Select(p => (object?)new GoStruct("v1alpha1.Param", false,
            [new("Name", Str(p?["name"])), new("Value", ParamValue(p is JsonObject o && o.ContainsKey("value"), p?["value"]))])).ToArray();
        return new GoList(items, "v1alpha1.Param");
    }

    private static GoStruct ParamValue(bool present, JsonNode? v)
    {
        var (type, s, arr, obj) = v switch
        {
            JsonArray a => ("array", string.Empty, a.Select(x => (object?)Str(x)).ToArray(), (GoMap?)null),
            JsonObject o => ("object", string.Empty, null, StringMap(o)),
            _ => (present ? "string" : string.Empty, v is null ? string.Empty : Str(v), (object?[]?)null, (GoMap?)null),
        };
        return new GoStruct("v1alpha1.ParamValue", false,
        [
            new("Type", type),
            new("StringVal", s),
            new("ArrayVal", new GoList(arr ?? [], "string")),
            new("ObjectVal", obj ?? new GoMap(new Dictionary<string, object?>(StringComparer.Ordinal), "string")),
        ]);
    }
}
