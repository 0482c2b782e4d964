namespace Connectors.Modules.Templates;

/// <summary>A parse or execution error, with Go's complete message ("template: name:1:3: ...").</summary>
internal sealed class TemplateException(string message) : Exception(message);
