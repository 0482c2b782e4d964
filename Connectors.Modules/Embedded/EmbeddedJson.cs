using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Connectors.Modules.Embedded;

/// <summary>JSON settings of the embedded API: <see cref="JsonNode"/> only, written like the apiserver does (no HTML escaping).</summary>
internal static class EmbeddedJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = EmbeddedJsonContext.Default,
    };

    public static readonly JsonTypeInfo<JsonNode> Node = (JsonTypeInfo<JsonNode>)Options.GetTypeInfo(typeof(JsonNode));

    public static byte[] ToUtf8(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Node);

    public static string ToText(JsonNode node) => node.ToJsonString(Options);
}
