namespace Connectors.Modules.Model;

/// <summary>Kubernetes Service: the per-connector <c>c-&lt;name&gt;</c> Service and the proxy Service.</summary>
public sealed class Service : IKubeObject
{
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "Service";

    public ObjectMeta Metadata { get; set; } = new();

    public ServiceSpec? Spec { get; set; }
}
