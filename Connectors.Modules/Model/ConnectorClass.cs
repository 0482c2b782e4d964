namespace Connectors.Modules.Model;

/// <summary>A ConnectorClass (cluster-scoped): how one kind of tool is addressed, authenticated, probed, proxied and configured.</summary>
public sealed class ConnectorClass : IKubeObject
{
    public string? ApiVersion { get; set; } = ApiGroups.ConnectorsApiVersion;

    public string? Kind { get; set; } = "ConnectorClass";

    public ObjectMeta Metadata { get; set; } = new();

    public ConnectorClassSpec Spec { get; set; } = new();

    public ConnectorClassStatus? Status { get; set; }
}
