using System.Text;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// A parsed <c>fieldSelector</c>: <c>f=v</c>, <c>f==v</c>, <c>f!=v</c>, comma-separated, over
/// <c>metadata.name</c>, <c>metadata.namespace</c> and the fields the kind lists as selectable.
/// </summary>
internal sealed class FieldSelector
{
    private readonly List<(string[] Path, bool Equal, string Value)> _terms;

    private FieldSelector(List<(string[] Path, bool Equal, string Value)> terms) => _terms = terms;

    public static readonly FieldSelector Everything = new([]);

    /// <summary>The value a <c>metadata.name=x</c> term requires, if any (lets kubectl's single-object watch stay cheap).</summary>
    public string? RequiredName => _terms.FirstOrDefault(t => t.Equal && t.Path is ["metadata", "name"]).Value;

    /// <exception cref="ApiError">400: unknown field label or bad syntax.</exception>
    public static FieldSelector Parse(string? text, ResourceType type)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string[], bool, string)>();
        foreach (var part in SplitUnescaped(text, ','))
        {
            var (field, equal, value) = ParseTerm(part, text);
            if (field is not ("metadata.name" or "metadata.namespace") && !type.SelectableFields.Contains(field))
            {
                throw ApiError.BadRequest($"field label not supported: {field}");
            }

            var path = field == "source" ? "source.component" : field;
            terms.Add((path.Split('.'), equal, value));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (path, equal, value) in _terms)
        {
            JsonNode? node = obj;
            foreach (var segment in path)
            {
                node = node is JsonObject o ? o[segment] : null;
            }

            var actual = node switch
            {
                null => "",
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                _ => node.ToJsonString(),
            };
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }

    private static (string Field, bool Equal, string Value) ParseTerm(string part, string whole)
    {
        foreach (var (op, equal) in new[] { ("!=", false), ("==", true), ("=", true) })
        {
            var at = IndexOfUnescaped(part, op);
            if (at > 0)
            {
                return (part[..at].Trim(), equal, Unescape(part[(at + op.Length)..]));
            }
        }

        throw ApiError.BadRequest($"invalid selector: '{whole}'; can't understand '{part}'");
    }

    private static int IndexOfUnescaped(string text, string op)
    {
        for (var i = 0; i + op.Length <= text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
                continue;
            }

            if (string.CompareOrdinal(text, i, op, 0, op.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static IEnumerable<string> SplitUnescaped(string text, char separator)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == separator)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static string Unescape(string value)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            builder.Append(value[i]);
        }

        return builder.ToString();
    }
}
