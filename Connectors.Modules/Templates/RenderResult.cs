namespace Connectors.Modules.Templates;

/// <summary>
/// The outcome of one render: the complete output, or an error in Go's form
/// (<c>template: gitconfig:3:14: executing "gitconfig" at &lt;.x.y&gt;: ...</c>). Never partial output.
/// </summary>
public sealed record RenderResult
{
    private RenderResult(string? output, string? error) => (Output, Error) = (output, error);

    /// <summary>The rendered text; null when the render failed.</summary>
    public string? Output { get; }

    /// <summary>One line describing the failure; null on success.</summary>
    public string? Error { get; }

    public bool Succeeded => Error is null;

    public static RenderResult Success(string output) => new(output, null);

    public static RenderResult Failure(string error) => new(null, error);
}
