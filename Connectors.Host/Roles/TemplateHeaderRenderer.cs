using Connectors.Modules.Credentials;
using Connectors.Modules.Templates;

namespace Connectors.Host.Roles;

/// <summary>
/// Composition glue: the proxy's class-declared credential headers are rendered by the Go template engine
/// (Credentials may not depend on Templates, so the Host joins them).
/// </summary>
internal sealed class TemplateHeaderRenderer : IHeaderTemplateRenderer
{
    private static readonly RenderOptions Options = new() { MissingKey = MissingKeyMode.Error, MaxOutputBytes = 16 * 1024 };

    public string? Render(string name, string template, IReadOnlyDictionary<string, string> secretData, out string? error)
    {
        var result = TemplateEngine.Shared.Render(name, template, TemplateValue.ForProbe(null, secretData), Options, CancellationToken.None);
        error = result.Error;
        return result.Output;
    }
}
