namespace Connectors.Modules.Model;

/// <summary>Kubernetes <c>EventSource</c>.</summary>
public sealed class EventSource
{
    public string? Component { get; set; }

    public string? Host { get; set; }
}
