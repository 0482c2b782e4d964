namespace Connectors.Modules.Model;

/// <summary>Kubernetes <c>StatusDetails</c>.</summary>
public sealed class KubeStatusDetails
{
    public string? Name { get; set; }

    public string? Group { get; set; }

    public string? Kind { get; set; }

    public string? Uid { get; set; }

    public int? RetryAfterSeconds { get; set; }
}
