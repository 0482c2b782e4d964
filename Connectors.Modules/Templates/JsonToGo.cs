using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Templates;

/// <summary>JSON to Go values, as encoding/json decodes into interface{} (numbers become float64).</summary>
internal static class JsonToGo
{
    public static object? FromElement(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var p in e.EnumerateObject())
                {
                    map[p.Name] = FromElement(p.Value);
                }

                return new GoMap(map);
            case JsonValueKind.Array:
                var items = new object?[e.GetArrayLength()];
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    items[i++] = FromElement(item);
                }

                return new GoList(items);
            case JsonValueKind.String:
                return e.GetString();
            case JsonValueKind.Number:
                return e.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    public static object? FromNode(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var map = new Dictionary<string, object?>(obj.Count, StringComparer.Ordinal);
                foreach (var (key, value) in obj)
                {
                    map[key] = FromNode(value);
                }

                return new GoMap(map);
            case JsonArray array:
                var items = new object?[array.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = FromNode(array[i]);
                }

                return new GoList(items);
            case JsonValue value:
                return value.GetValueKind() switch
                {
                    JsonValueKind.String => value.GetValue<string>(),
                    JsonValueKind.Number => value.TryGetValue<double>(out var d) ? d : double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => null,
                };
            default:
                return null;
        }
    }
}
