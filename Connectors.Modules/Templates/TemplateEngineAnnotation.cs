namespace Connectors.Modules.Templates;

/// <summary>
/// Chooses the engine of a ConnectorClass configuration from its annotations:
/// <c>connectors.alauda.io/template-engine: handlebars</c> selects Handlebars; absent or <c>go</c> selects Go.
/// </summary>
public static class TemplateEngineAnnotation
{
    public const string Name = "connectors.alauda.io/template-engine";

    /// <summary>The engine named by the annotation; null when its value is not a known engine.</summary>
    public static TemplateEngineKind? Resolve(IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is null || !annotations.TryGetValue(Name, out var value) || string.IsNullOrWhiteSpace(value))
        {
            return TemplateEngineKind.Go;
        }

        return Parse(value);
    }

    /// <summary>"go" or "handlebars" (case-insensitive); null otherwise.</summary>
    public static TemplateEngineKind? Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "go" or "gotemplate" or "go-template" => TemplateEngineKind.Go,
        "handlebars" or "hbs" => TemplateEngineKind.Handlebars,
        _ => null,
    };
}
