using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Connectors.Modules.Embedded;

/// <summary>Build-time JSON metadata for <see cref="JsonNode"/>, the only type the embedded API serializes.</summary>
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class EmbeddedJsonContext : JsonSerializerContext;
