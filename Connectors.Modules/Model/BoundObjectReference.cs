namespace Connectors.Modules.Model;

/// <summary><c>BoundObjectReference</c> of a TokenRequest.</summary>
public sealed class BoundObjectReference
{
    public string? Kind { get; set; }

    public string? ApiVersion { get; set; }

    public string? Name { get; set; }

    public string? Uid { get; set; }
}
