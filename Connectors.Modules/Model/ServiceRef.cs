namespace Connectors.Modules.Model;

/// <summary>A reference to an addressable object, usually a Service (<c>spec.api.ref</c>, <c>spec.proxy.ref</c>).</summary>
public sealed class ServiceRef
{
    public string Kind { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string? Namespace { get; set; }

    public string? ApiVersion { get; set; }

    public string? Group { get; set; }

    public string? Address { get; set; }
}
