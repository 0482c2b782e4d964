using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Connectors.Modules.Model;

/// <summary>JSON (de)serialisation of model kinds with the source-generated metadata; no reflection.</summary>
public static class ModelJson
{
    /// <summary>Options backed by <see cref="ModelJsonContext"/>.</summary>
    public static JsonSerializerOptions Options => ModelJsonContext.Default.Options;

    public static JsonTypeInfo<T> TypeInfo<T>() =>
        (JsonTypeInfo<T>?)ModelJsonContext.Default.GetTypeInfo(typeof(T))
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not in ModelJsonContext");

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, TypeInfo<T>());

    public static byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>());

    /// <exception cref="JsonException">The JSON does not fit <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize(json, TypeInfo<T>()) ?? throw new JsonException($"null {typeof(T).Name}");

    /// <exception cref="JsonException">The JSON does not fit <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, TypeInfo<T>()) ?? throw new JsonException($"null {typeof(T).Name}");

    /// <exception cref="JsonException">The JSON does not fit <typeparamref name="T"/>.</exception>
    public static T FromNode<T>(JsonNode node) =>
        node.Deserialize(TypeInfo<T>()) ?? throw new JsonException($"null {typeof(T).Name}");

    public static JsonObject ToNode<T>(T value) =>
        JsonSerializer.SerializeToNode(value, TypeInfo<T>()) as JsonObject ?? throw new JsonException($"{typeof(T).Name} is not a JSON object");
}
