using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Templates;

/// <summary>
/// Data for a template, converted once into the engine's Go-shaped values so a render needs no reflection.
/// JSON data behaves as Go's encoding/json into interface{}: objects are map[string]interface {}, arrays are
/// []interface {}, every number is a float64 (<c>8080</c> prints <c>8080</c>, <c>12345678901</c> prints
/// <c>1.2345678901e+10</c>, and <c>eq .port 8080</c> is an error, exactly as in Go).
/// </summary>
public sealed class TemplateValue
{
    private TemplateValue(object? root) => Root = root;

    /// <summary>No data: <c>.</c> is nil.</summary>
    public static TemplateValue Null { get; } = new(null);

    internal object? Root { get; }

    /// <summary>Data from a JSON node (null for JSON null).</summary>
    public static TemplateValue FromJson(JsonNode? node) => new(JsonToGo.FromNode(node));

    /// <summary>Data from a parsed JSON element.</summary>
    public static TemplateValue FromJson(JsonElement element) => new(JsonToGo.FromElement(element));

    /// <summary>Data from JSON text; throws <see cref="JsonException"/> when the text is not JSON.</summary>
    public static TemplateValue ParseJson(string json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        return FromJson(doc.RootElement);
    }

    /// <summary>
    /// The Go-struct-shaped data of probe templates: <c>.Connector</c> built from the Connector's JSON and
    /// <c>.Secret</c> holding <c>.StringData</c> (decoded secret data), or nil when there is no Secret.
    /// See <see cref="ProbeDataView"/> for the field mapping.
    /// </summary>
    public static TemplateValue ForProbe(JsonNode? connector, IReadOnlyDictionary<string, string>? secretStringData) =>
        new(ProbeDataView.Create(connector, secretStringData));

    internal static TemplateValue FromGo(object? value) => new(value);
}
