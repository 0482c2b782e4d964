using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Connectors.Modules.Model;

/// <summary>Reads any RFC 3339 time; writes it in UTC with the precision of <paramref name="format"/>.</summary>
public abstract class Rfc3339TimeConverter(string format) : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.GetString();
        return string.IsNullOrEmpty(text)
            ? null
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
                ? value
                : throw new JsonException($"invalid time \"{text}\": want RFC 3339");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStringValue(value.Value.UtcDateTime.ToString(format, CultureInfo.InvariantCulture));
    }
}
