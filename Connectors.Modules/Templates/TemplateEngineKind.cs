namespace Connectors.Modules.Templates;

/// <summary>The template language of a configuration: Go text/template + sprig (default) or Handlebars.</summary>
public enum TemplateEngineKind
{
    Go,
    Handlebars,
}
