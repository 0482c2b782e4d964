using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Connectors.Modules.Model;

/// <summary>
/// A <c>{name, value}</c> pair whose value is any JSON (Tekton <c>ParamValue</c>: string, array or object).
/// The JSON form is kept as written; <see cref="StringValue"/> gives the string view templates use.
/// </summary>
public sealed class NamedValue
{
    public string Name { get; set; } = string.Empty;

    public JsonNode? Value { get; set; }

    /// <summary>The value when it is a JSON string; otherwise its compact JSON text; null when absent.</summary>
    [JsonIgnore]
    public string? StringValue => Value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => Value.ToJsonString(),
    };
}
