namespace Connectors.Modules.Model;

/// <summary>Kubernetes Secret. <c>data</c> values are bytes (base64 in JSON); <c>stringData</c> is write-only and folded into <c>data</c> by the API server.</summary>
public sealed class Secret : IKubeObject
{
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "Secret";

    public ObjectMeta Metadata { get; set; } = new();

    public string? Type { get; set; }

    public Dictionary<string, byte[]>? Data { get; set; }

    public Dictionary<string, string>? StringData { get; set; }

    public bool? Immutable { get; set; }
}
