namespace Connectors.Modules.Model;

/// <summary>A Connector (<c>connectors.alauda.io/v1alpha1</c>, namespaced): one tool instance, its address and credential.</summary>
public sealed class Connector : IKubeObject
{
    public string? ApiVersion { get; set; } = ApiGroups.ConnectorsApiVersion;

    public string? Kind { get; set; } = "Connector";

    public ObjectMeta Metadata { get; set; } = new();

    public ConnectorSpec Spec { get; set; } = new();

    public ConnectorStatus? Status { get; set; }
}
