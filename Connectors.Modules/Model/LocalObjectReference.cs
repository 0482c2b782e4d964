namespace Connectors.Modules.Model;

/// <summary>A reference by name to an object in the same namespace.</summary>
public sealed class LocalObjectReference
{
    public string? Name { get; set; }
}
