using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// A parsed <c>labelSelector</c>: comma-separated requirements <c>k</c>, <c>!k</c>, <c>k=v</c>, <c>k==v</c>,
/// <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, all of which must hold.
/// </summary>
internal sealed class LabelSelector
{
    private readonly List<(string Key, string Op, string[] Values)> _requirements;

    private LabelSelector(List<(string Key, string Op, string[] Values)> requirements) => _requirements = requirements;

    public static readonly LabelSelector Everything = new([]);

    /// <exception cref="ApiError">400: the selector does not parse.</exception>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<(string, string, string[])>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim(), text));
        }

        return new LabelSelector(requirements);
    }

    public bool Matches(JsonObject obj)
    {
        var labels = obj["metadata"]?["labels"] as JsonObject;
        foreach (var (key, op, values) in _requirements)
        {
            var has = labels is not null && labels.ContainsKey(key);
            var value = has ? (string?)labels![key] ?? "" : null;
            var ok = op switch
            {
                "exists" => has,
                "!exists" => !has,
                "in" => has && values.Contains(value),
                "notin" => !has || !values.Contains(value),
                "=" => has && value == values[0],
                "!=" => !has || value != values[0],
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static (string, string, string[]) ParseRequirement(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw Bad(whole, "empty requirement");
        }

        if (part.StartsWith('!'))
        {
            return (Key(part[1..].Trim(), whole), "!exists", []);
        }

        foreach (var op in new[] { "==", "!=", "=" })
        {
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var value = part[(at + op.Length)..].Trim();
                return (Key(part[..at].Trim(), whole), op == "==" ? "=" : op, [value]);
            }
        }

        var space = part.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return (Key(part, whole), "exists", []);
        }

        var key = Key(part[..space], whole);
        var rest = part[space..].Trim();
        foreach (var op in new[] { "notin", "in" })
        {
            if (rest.StartsWith(op, StringComparison.Ordinal))
            {
                var list = rest[op.Length..].Trim();
                if (!list.StartsWith('(') || !list.EndsWith(')'))
                {
                    throw Bad(whole, $"expected ( after '{op}'");
                }

                return (key, op, [.. list[1..^1].Split(',').Select(v => v.Trim())]);
            }
        }

        throw Bad(whole, $"unknown operator in \"{part}\"");
    }

    private static string Key(string key, string whole) =>
        key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '=' or '!') ? throw Bad(whole, $"invalid label key \"{key}\"") : key;

    private static ApiError Bad(string selector, string why) =>
        ApiError.BadRequest($"unable to parse requirement: {why} (labelSelector \"{selector}\")");
}
