using System.Text.Json.Nodes;

namespace Connectors.Modules.Model;

/// <summary>A declared parameter. A ParamSpec without <c>default</c> is required.</summary>
public sealed class ParamSpec
{
    /// <summary>Required by the schema; some published examples omit it on <c>spec.address</c>, so it may be null here.</summary>
    public string? Name { get; set; }

    /// <summary><c>string</c> (default), <c>array</c> or <c>object</c>.</summary>
    public string? Type { get; set; }

    public string? Description { get; set; }

    public JsonNode? Default { get; set; }

    public List<string>? Enum { get; set; }

    public Dictionary<string, ParamPropertyType>? Properties { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }
}
