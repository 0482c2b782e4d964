using System.Globalization;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// The JSONPath subset CRD printer columns use: <c>.a.b</c>, <c>.a[0]</c>, <c>.a[*].b</c>,
/// <c>.a['b.c']</c> and filters <c>.a[?(@.type=="Ready")].status</c> (with <c>==</c> or <c>!=</c>), optionally in
/// braces. Like the apiserver's table converter, a column shows the first match.
/// </summary>
internal static class SimpleJsonPath
{
    /// <summary>The first value <paramref name="path"/> selects in <paramref name="root"/>; null when none.</summary>
    public static JsonNode? Evaluate(JsonNode root, string path)
    {
        var results = EvaluateAll(root, path);
        return results.Count == 0 ? null : results[0];
    }

    /// <summary>Every value <paramref name="path"/> selects, in document order.</summary>
    /// <exception cref="FormatException">The path is outside the supported subset.</exception>
    public static List<JsonNode?> EvaluateAll(JsonNode root, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = path.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            text = text[1..^1].Trim();
        }

        if (text.StartsWith('$'))
        {
            text = text[1..];
        }

        List<JsonNode?> current = [root];
        var i = 0;
        while (i < text.Length && current.Count > 0)
        {
            if (text[i] == '.')
            {
                var end = i + 1;
                while (end < text.Length && text[end] != '.' && text[end] != '[')
                {
                    end++;
                }

                var name = text[(i + 1)..end];
                if (name.Length > 0)
                {
                    current = Child(current, name);
                }

                i = end;
            }
            else if (text[i] == '[')
            {
                var end = FindClose(text, i);
                current = Bracket(current, text[(i + 1)..end]);
                i = end + 1;
            }
            else
            {
                throw new FormatException($"unsupported JSONPath \"{path}\" at {i}");
            }
        }

        return current.Where(n => n is not null).ToList();
    }

    private static int FindClose(string text, int open)
    {
        char? quote = null;
        for (var i = open + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == ']')
            {
                return i;
            }
        }

        throw new FormatException($"unterminated [ in JSONPath \"{text}\"");
    }

    private static List<JsonNode?> Child(List<JsonNode?> nodes, string name) =>
        nodes.OfType<JsonObject>().Where(o => o.ContainsKey(name)).Select(o => o[name]).ToList();

    private static List<JsonNode?> Bracket(List<JsonNode?> nodes, string inner)
    {
        inner = inner.Trim();
        if (inner == "*")
        {
            return nodes.SelectMany(n => n switch
            {
                JsonArray a => a.AsEnumerable(),
                JsonObject o => o.Select(p => p.Value),
                _ => [],
            }).ToList();
        }

        if (inner.StartsWith("?(", StringComparison.Ordinal) && inner.EndsWith(')'))
        {
            var (left, op, right) = ParseFilter(inner[2..^1]);
            return nodes.OfType<JsonArray>().SelectMany(a => a)
                .Where(item => item is not null && Matches(item, left, op, right)).ToList();
        }

        if (inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0])
        {
            return Child(nodes, inner[1..^1]);
        }

        if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            return nodes.OfType<JsonArray>()
                .Select(a => index < 0 ? (a.Count + index >= 0 ? a[a.Count + index] : null) : (index < a.Count ? a[index] : null))
                .Where(n => n is not null).ToList();
        }

        throw new FormatException($"unsupported JSONPath subscript [{inner}]");
    }

    private static (string Left, string Op, string Right) ParseFilter(string filter)
    {
        foreach (var op in new[] { "==", "!=" })
        {
            var at = filter.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                return (filter[..at].Trim(), op, filter[(at + 2)..].Trim());
            }
        }

        return (filter.Trim(), "exists", "");
    }

    private static bool Matches(JsonNode item, string left, string op, string right)
    {
        if (!left.StartsWith('@'))
        {
            throw new FormatException($"unsupported JSONPath filter operand {left}");
        }

        var value = EvaluateAll(item, left[1..]).FirstOrDefault();
        if (op == "exists")
        {
            return value is not null;
        }

        var expected = right.Length >= 2 && right[0] is '\'' or '"' && right[^1] == right[0] ? right[1..^1] : right;
        var actual = value switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => value.ToJsonString(),
        };
        var equal = actual == expected;
        return op == "==" ? equal : !equal;
    }
}
