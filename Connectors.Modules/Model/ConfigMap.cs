namespace Connectors.Modules.Model;

/// <summary>Kubernetes ConfigMap (feature flags in <c>connectors-config</c>).</summary>
public sealed class ConfigMap : IKubeObject
{
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "ConfigMap";

    public ObjectMeta Metadata { get; set; } = new();

    public Dictionary<string, string>? Data { get; set; }

    public Dictionary<string, string>? BinaryData { get; set; }
}
