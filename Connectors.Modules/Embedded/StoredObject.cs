using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// One committed object version. <see cref="Node"/> is never mutated after commit (read it under the store
/// lock, hand out <see cref="Clone"/>); <see cref="Json"/> is what watch streams and GETs write.
/// </summary>
internal sealed class StoredObject
{
    public StoredObject(ResourceType type, JsonObject node)
    {
        Type = type;
        Json = JsonSerializer.SerializeToUtf8Bytes(node, EmbeddedJson.Node);
        // Re-read from the bytes so every stored value has one representation (numbers are JSON numbers, not CLR ints).
        Node = JsonNode.Parse(Json)!.AsObject();
        var metadata = Node["metadata"]!.AsObject();
        Namespace = (string?)metadata["namespace"];
        Name = (string)metadata["name"]!;
        Uid = (string)metadata["uid"]!;
        ResourceVersion = long.Parse((string)metadata["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture);
    }

    public ResourceType Type { get; }

    public JsonObject Node { get; }

    public byte[] Json { get; }

    public string? Namespace { get; }

    public string Name { get; }

    public string Uid { get; }

    public long ResourceVersion { get; }

    public JsonObject Clone() => JsonNode.Parse(Json)!.AsObject();
}
