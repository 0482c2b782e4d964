namespace Connectors.Modules.Model;

/// <summary>coordination.k8s.io Lease: leader election for the controller.</summary>
public sealed class Lease : IKubeObject
{
    public string? ApiVersion { get; set; } = "coordination.k8s.io/v1";

    public string? Kind { get; set; } = "Lease";

    public ObjectMeta Metadata { get; set; } = new();

    public LeaseSpec? Spec { get; set; }
}
