namespace Connectors.Modules.Templates;

/// <summary>Renders configuration and probe templates. Thread-safe; parsed templates are cached by content.</summary>
public interface ITemplateRenderer
{
    /// <summary>
    /// Renders <paramref name="text"/> (named <paramref name="name"/> in errors) over <paramref name="data"/>.
    /// Errors (syntax, execution, limits, cancellation) come back as <see cref="RenderResult.Error"/>.
    /// </summary>
    RenderResult Render(string name, string text, TemplateValue data, RenderOptions options, CancellationToken cancellationToken);
}
