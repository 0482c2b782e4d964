namespace Connectors.Modules.Model;

/// <summary>A Connector (<c>connectors.alauda.io/v1alpha1</c>, namespaced): one tool instance, its address and credential.</summary>
public sealed class Connector : IKubeObject
{
    public string? ApiVersion { get; set; } = ApiGroups.ConnectorsApiVersion;

    public string? Kind { get; set; } = "Connector";

    public ObjectMeta Metadata { get; set; } = new();

    /// <summary>Never null: an explicit <c>"spec": null</c> reads as an empty spec, which validation then refuses.</summary>
    public ConnectorSpec Spec { get; set => field = value ?? new(); } = new();

    public ConnectorStatus? Status { get; set; }
}
