using System.Text.Json;
using System.Text.Json.Serialization;

namespace Connectors.Modules.Model;

/// <summary>
/// Reads <c>Condition.status</c> written as a string, or as a YAML boolean (<c>status: True</c> unquoted, as some
/// published examples do), and always writes the string form.
/// </summary>
public sealed class ConditionStatusConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => ConditionStatus.True,
        JsonTokenType.False => ConditionStatus.False,
        JsonTokenType.String => reader.GetString() ?? ConditionStatus.Unknown,
        _ => throw new JsonException("condition status must be True, False or Unknown"),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
