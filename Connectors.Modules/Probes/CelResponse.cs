using System.Text;
using System.Text.Json;

namespace Connectors.Modules.Probes;

/// <summary>
/// The variables a probe's CEL condition sees (original §2.3): <c>response.statusCode</c> (int),
/// <c>response.headers</c> (map of Go-canonical header name to list of strings), <c>response.body</c> (the body
/// parsed as JSON, null when it is not JSON) and <c>response.bodyString</c>; the same at top level as
/// <c>statusCode</c>, <c>headers</c>, <c>body</c>, <c>bodyJSON</c> and <c>bodyString</c>, which the built-in
/// sonarqube class uses (<c>statusCode == 200 &amp;&amp; bodyJSON.status == 'UP'</c>). JSON numbers are doubles,
/// as in cel-go's JSON values (<c>bodyJSON.n == 3</c> still holds: CEL compares numbers across types).
/// </summary>
internal static class CelResponse
{
    /// <summary>The most of a body read for a CEL condition (1 MiB); a longer body is cut there and is not JSON.</summary>
    public const int MaxBodyBytes = 1 << 20;

    /// <summary>The variables for a response with <paramref name="statusCode"/>, <paramref name="headers"/> and <paramref name="body"/>.</summary>
    public static Dictionary<string, object?> Variables(int statusCode, IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var headerMap = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, values) in headers)
        {
            var key = ProbeUrl.CanonicalHeaderName(name);
            var list = headerMap.TryGetValue(key, out var existing) ? (List<object?>)existing! : [];
            list.AddRange(values);
            headerMap[key] = list;
        }

        var text = Encoding.UTF8.GetString(body);
        var json = Parse(body);
        var code = (long)statusCode;
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["response"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["statusCode"] = code,
                ["headers"] = headerMap,
                ["body"] = json,
                ["bodyString"] = text,
            },
            ["statusCode"] = code,
            ["headers"] = headerMap,
            ["body"] = json,
            ["bodyJSON"] = json,
            ["bodyString"] = text,
        };
    }

    private static object? Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return reader.BytesConsumed == body.Length || body[(int)reader.BytesConsumed..].Trim(" \t\r\n"u8).IsEmpty
                ? Convert(document.RootElement)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Aggregate(
            new Dictionary<string, object?>(StringComparer.Ordinal),
            (map, property) =>
            {
                map[property.Name] = Convert(property.Value);
                return map;
            }),
        JsonValueKind.Array => element.EnumerateArray().Select(Convert).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
