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

    /// <summary>
    /// The most JSON values (objects, arrays, strings, numbers, ...) of a body given to CEL as <c>bodyJSON</c>; a body
    /// with more is given as null, as a body that is not JSON. A comprehension's cost grows with the lists it walks, and
    /// nested ones multiply (at most <see cref="CelLimits.MaxComprehensionNesting"/> levels): measured with the package,
    /// <c>l.all(x, l.all(y, y &gt;= 0.0))</c> took 0.55 s over 1,000 values and 4.7 s over 4,000, and
    /// <c>l.map(x, l + l)</c> allocated 23 MiB over 1,000 and 275 MiB over 4,000; a 1 MiB body holds half a million.
    /// </summary>
    public const int MaxJsonValues = 1_000;

    /// <summary>The words added to an evaluation error when the body's JSON was beyond <see cref="MaxJsonValues"/>.</summary>
    public static readonly string TooManyValuesNote = $"the body has more than {MaxJsonValues} JSON values and is given to CEL as null";

    /// <summary>The variables for a response with <paramref name="statusCode"/>, <paramref name="headers"/> and <paramref name="body"/>.</summary>
    public static Dictionary<string, object?> Variables(int statusCode, IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers, ReadOnlySpan<byte> body) =>
        Variables(statusCode, headers, body, out _);

    /// <summary>As above; <paramref name="tooManyValues"/> says the body was JSON with more than <see cref="MaxJsonValues"/> values.</summary>
    public static Dictionary<string, object?> Variables(
        int statusCode, IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers, ReadOnlySpan<byte> body, out bool tooManyValues)
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
        var json = Parse(body, out tooManyValues);
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

    private static object? Parse(ReadOnlySpan<byte> body, out bool tooManyValues)
    {
        tooManyValues = false;
        if (body.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            using var document = JsonDocument.ParseValue(ref reader);
            if (reader.BytesConsumed != body.Length && !body[(int)reader.BytesConsumed..].Trim(" \t\r\n"u8).IsEmpty)
            {
                return null;
            }

            var budget = MaxJsonValues;
            if (!Within(document.RootElement, ref budget))
            {
                tooManyValues = true;
                return null;
            }

            return Convert(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="element"/> has at most <paramref name="budget"/> values (counting down; stops early).</summary>
    private static bool Within(JsonElement element, ref int budget)
    {
        if (--budget < 0)
        {
            return false;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!Within(property.Value, ref budget))
                    {
                        return false;
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!Within(item, ref budget))
                    {
                        return false;
                    }
                }

                break;
        }

        return true;
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
