using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Connectors.Modules.Model;

/// <summary>JSON (de)serialisation of model kinds with the source-generated metadata; no reflection.</summary>
public static class ModelJson
{
    /// <summary>
    /// The deepest JSON read: Go's encoding/json limit, which the API server (and so any tenant's object, through a
    /// <c>x-kubernetes-preserve-unknown-fields</c> value) can reach. With System.Text.Json's default of 64 one deep
    /// Connector param made every list and watch of Connectors fail. Writing keeps the default (64): a code path
    /// that serializes such an object fails for that object alone, with an exception, not a deep recursion.
    /// </summary>
    public const int ReadMaxDepth = 10_000;

    /// <summary>Reader options for documents from the API server (<see cref="ReadMaxDepth"/>).</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = ReadMaxDepth };

    // The same metadata bound to options that read to ReadMaxDepth.
    private static readonly ModelJsonContext Reading = new(new JsonSerializerOptions(ModelJsonContext.Default.Options) { MaxDepth = ReadMaxDepth });

    /// <summary>Options backed by <see cref="ModelJsonContext"/>.</summary>
    public static JsonSerializerOptions Options => ModelJsonContext.Default.Options;

    public static JsonTypeInfo<T> TypeInfo<T>() =>
        (JsonTypeInfo<T>?)ModelJsonContext.Default.GetTypeInfo(typeof(T))
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not in ModelJsonContext");

    /// <summary>The metadata of <typeparamref name="T"/> for reading (<see cref="ReadMaxDepth"/>).</summary>
    public static JsonTypeInfo<T> ReadTypeInfo<T>() =>
        (JsonTypeInfo<T>?)Reading.GetTypeInfo(typeof(T))
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not in ModelJsonContext");

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, TypeInfo<T>());

    public static byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>());

    /// <exception cref="JsonException">The JSON does not fit <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize(json, ReadTypeInfo<T>()) ?? throw new JsonException($"null {typeof(T).Name}");

    /// <exception cref="JsonException">The JSON does not fit <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, ReadTypeInfo<T>()) ?? throw new JsonException($"null {typeof(T).Name}");

    /// <exception cref="JsonException">The JSON does not fit <typeparamref name="T"/>.</exception>
    public static T FromNode<T>(JsonNode node) =>
        node.Deserialize(ReadTypeInfo<T>()) ?? throw new JsonException($"null {typeof(T).Name}");

    public static JsonObject ToNode<T>(T value) =>
        JsonSerializer.SerializeToNode(value, TypeInfo<T>()) as JsonObject ?? throw new JsonException($"{typeof(T).Name} is not a JSON object");
}
