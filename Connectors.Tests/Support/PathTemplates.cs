using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Connectors.Modules.Csi;

namespace Connectors.Tests.Support;

/// <summary>
/// A template engine for driver tests that need no Go semantics: <c>{{ .a.b }}</c> is replaced by the string
/// at that path of the data, <c>{{ fail }}</c> fails. It records the engine each call asked for.
/// </summary>
internal sealed partial class PathTemplates : IConfigurationTemplates
{
    public List<string> Engines { get; } = [];

    public TemplateOutput Render(string engine, string name, string template, JsonObject data)
    {
        lock (Engines)
        {
            Engines.Add(engine);
        }

        string? error = null;
        var text = Expression().Replace(template, m =>
        {
            if (m.Groups[1].Value == "fail")
            {
                error = $"template: {name}: fail called";
                return string.Empty;
            }

            JsonNode? node = data;
            foreach (var part in m.Groups[1].Value.TrimStart('.').Split('.'))
            {
                node = node?[part];
            }

            return node?.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node?.ToJsonString() ?? "<no value>";
        });
        return error is null ? TemplateOutput.Ok(text) : TemplateOutput.Fail(error);
    }

    [GeneratedRegex(@"\{\{\s*([.\w]+)\s*\}\}")]
    private static partial Regex Expression();
}
