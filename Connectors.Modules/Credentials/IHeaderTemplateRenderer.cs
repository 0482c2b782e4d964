namespace Connectors.Modules.Credentials;

/// <summary>
/// Renders the value of a class-declared credential header (<c>spec.auth.types[].generator.headers[].value</c>)
/// over the Secret's decoded data (<c>.Secret.StringData.&lt;key&gt;</c>). A seam, so Credentials does not depend on
/// the template engine: the Host composes the Go template engine behind it.
/// </summary>
public interface IHeaderTemplateRenderer
{
    /// <summary>The rendered value, or null with <paramref name="error"/> set (never containing Secret values).</summary>
    string? Render(string name, string template, IReadOnlyDictionary<string, string> secretData, out string? error);
}
