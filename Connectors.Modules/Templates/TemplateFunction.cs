namespace Connectors.Modules.Templates;

/// <summary>
/// A function callable from a template: its Go parameter types (for argument checks and conversions) and its
/// body. The body receives checked arguments and throws <see cref="FunctionCallException"/> for Go's error
/// results and panics.
/// </summary>
internal sealed class TemplateFunction(string name, ParamKind[] parameters, ParamKind? variadic, Func<FunctionContext, object?[], object?> body)
{
    public string Name { get; } = name;

    public ParamKind[] Parameters { get; } = parameters;

    /// <summary>The element type of a trailing ...T parameter, or null.</summary>
    public ParamKind? Variadic { get; } = variadic;

    public Func<FunctionContext, object?[], object?> Body { get; } = body;

    /// <summary>One of text/template's own builtins (and/or short-circuit only then).</summary>
    public bool IsBuiltin { get; init; }

    /// <summary>Reads the clock, randomness, the environment or the network; refused unless allowed.</summary>
    public FunctionEffect Effect { get; init; }
}
