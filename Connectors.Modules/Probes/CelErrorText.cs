using System.Collections;
using System.Text.RegularExpressions;

namespace Connectors.Modules.Probes;

/// <summary>
/// The message of a failed CEL evaluation as it may reach a Connector's status. The <c>Cel</c> package's messages quote
/// the values they fail on (<c>Could not convert '{"token":"..."}' to Int.</c>, the whole body for <c>int(bodyString)</c>),
/// and an auth probe's response is made with the credential, so a tool that echoes it would put it in status. So every
/// quoted segment (single, double or back quotes) is replaced by <c>'…'</c> unless it is an identifier (<c>'startsWith'</c>,
/// <c>'System.String'</c>) that occurs nowhere in the response (body, its JSON strings and keys, header values) or is
/// one of the expression's own identifiers (<c>'bodyJSON'</c>, a field the class names);
/// every remaining word (a run of letters, digits and <c>_-+/=.~%</c>) of 4 or more characters that occurs in the response but not in the expression is replaced too
/// (a value holding a quote would otherwise leave its tail outside the quoted segment); and the message is cut at
/// <see cref="MaxLength"/> characters.
/// </summary>
internal static partial class CelErrorText
{
    /// <summary>The longest message kept.</summary>
    public const int MaxLength = 300;

    private const string Hidden = "…";

    private static readonly char[] WordEdges = ['_', '-', '+', '/', '=', '.', '~', '%'];

    /// <summary><paramref name="message"/> without any value of <paramref name="variables"/> (a response's).</summary>
    public static string Redact(string message, string expression, IDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(variables);
        // The values only: the variables' own names (bodyJSON, response.statusCode, ...) are not the response's.
        var texts = new List<string>();
        foreach (var (name, value) in variables)
        {
            if (name == "response" && value is IDictionary<string, object?> response)
            {
                foreach (var inner in response.Values)
                {
                    Collect(inner, texts, 1);
                }
            }
            else
            {
                Collect(value, texts, 0);
            }
        }

        bool InResponse(string s) => texts.Exists(t => t.Contains(s, StringComparison.Ordinal));
        bool InExpression(string identifier) =>
            Regex.IsMatch(expression, $"(?<![A-Za-z0-9_]){Regex.Escape(identifier)}(?![A-Za-z0-9_])", RegexOptions.CultureInvariant);

        var quoted = Quoted().Replace(message, m =>
        {
            var inner = m.Value[1..^1];
            return Identifier().IsMatch(inner) && (!InResponse(inner) || InExpression(inner)) ? m.Value : $"{m.Value[0]}{Hidden}{m.Value[0]}";
        });
        var words = Word().Replace(quoted, m =>
        {
            var word = m.Value.Trim(WordEdges);
            return word.Length >= 4 && InResponse(word) && !expression.Contains(word, StringComparison.Ordinal) ? Hidden : m.Value;
        });
        return words.Length <= MaxLength ? words : string.Concat(words.AsSpan(0, MaxLength - 1), Hidden);
    }

    private static void Collect(object? value, List<string> texts, int depth)
    {
        switch (value)
        {
            case string s:
                texts.Add(s);
                break;
            case IDictionary map when depth < 100:
                foreach (DictionaryEntry entry in map)
                {
                    Collect(entry.Key, texts, depth + 1);
                    Collect(entry.Value, texts, depth + 1);
                }

                break;
            case IEnumerable list when depth < 100:
                foreach (var item in list)
                {
                    Collect(item, texts, depth + 1);
                }

                break;
        }
    }

    [GeneratedRegex("'[^']*'|\"[^\"]*\"|`[^`]*`", RegexOptions.CultureInvariant)]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    [GeneratedRegex(@"[A-Za-z0-9_\-+/=.~%]+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
