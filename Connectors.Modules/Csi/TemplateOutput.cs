namespace Connectors.Modules.Csi;

/// <summary>A rendered text, or why rendering failed (never containing data values).</summary>
internal readonly record struct TemplateOutput(string? Text, string? Error)
{
    public static TemplateOutput Ok(string text) => new(text, null);

    public static TemplateOutput Fail(string error) => new(null, error);
}
