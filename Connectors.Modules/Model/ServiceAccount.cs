namespace Connectors.Modules.Model;

/// <summary>Kubernetes ServiceAccount.</summary>
public sealed class ServiceAccount : IKubeObject
{
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "ServiceAccount";

    public ObjectMeta Metadata { get; set; } = new();

    public bool? AutomountServiceAccountToken { get; set; }
}
