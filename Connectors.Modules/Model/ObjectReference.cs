namespace Connectors.Modules.Model;

/// <summary>Kubernetes <c>ObjectReference</c> (Connector <c>spec.auth.secretRef</c>, Event <c>involvedObject</c>).</summary>
public sealed class ObjectReference
{
    public string? ApiVersion { get; set; }

    public string? FieldPath { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string? ResourceVersion { get; set; }

    public string? Uid { get; set; }
}
