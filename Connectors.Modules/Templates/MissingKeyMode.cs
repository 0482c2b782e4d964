namespace Connectors.Modules.Templates;

/// <summary>
/// What a missing map key yields, as Go's <c>Option("missingkey=...")</c>: <see cref="Default"/> and
/// <see cref="Invalid"/> print <c>&lt;no value&gt;</c>, <see cref="Zero"/> gives the element type's zero value,
/// <see cref="Error"/> stops the render.
/// </summary>
public enum MissingKeyMode
{
    Default,
    Invalid,
    Zero,
    Error,
}
