using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// A <c>metav1.LabelSelector</c> object (<c>matchLabels</c> and <c>matchExpressions</c> with <c>In</c>,
/// <c>NotIn</c>, <c>Exists</c>, <c>DoesNotExist</c>), as webhooks' <c>namespaceSelector</c> and
/// <c>objectSelector</c> carry it. A null or empty selector matches everything.
/// </summary>
internal static class SelectorObject
{
    /// <exception cref="FormatException">An unknown operator or a malformed expression.</exception>
    public static bool Matches(JsonNode? selector, JsonObject? labels)
    {
        if (selector is not JsonObject s)
        {
            return true;
        }

        foreach (var (key, value) in s["matchLabels"] as JsonObject ?? [])
        {
            if (labels?[key] is not JsonValue actual || (string?)actual != (string?)value)
            {
                return false;
            }
        }

        foreach (var expression in (s["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = (string?)expression["key"] ?? throw new FormatException("a matchExpressions entry has no key");
            var values = (expression["values"] as JsonArray ?? []).Select(v => (string?)v).ToList();
            var has = labels?.ContainsKey(key) == true;
            var value = has ? (string?)labels![key] : null;
            var holds = (string?)expression["operator"] switch
            {
                "In" => has && values.Contains(value),
                "NotIn" => !has || !values.Contains(value),
                "Exists" => has,
                "DoesNotExist" => !has,
                var op => throw new FormatException($"\"{op}\" is not a valid label selector operator"),
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }
}
