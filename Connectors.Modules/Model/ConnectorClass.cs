namespace Connectors.Modules.Model;

/// <summary>A ConnectorClass (cluster-scoped): how one kind of tool is addressed, authenticated, probed, proxied and configured.</summary>
public sealed class ConnectorClass : IKubeObject
{
    public string? ApiVersion { get; set; } = ApiGroups.ConnectorsApiVersion;

    public string? Kind { get; set; } = "ConnectorClass";

    public ObjectMeta Metadata { get; set; } = new();

    /// <summary>Never null: an explicit <c>"spec": null</c> reads as an empty spec, which validation then refuses.</summary>
    public ConnectorClassSpec Spec { get; set => field = value ?? new(); } = new();

    public ConnectorClassStatus? Status { get; set; }
}
