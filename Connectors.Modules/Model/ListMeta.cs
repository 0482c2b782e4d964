using System.Text.Json.Serialization;

namespace Connectors.Modules.Model;

/// <summary>Kubernetes <c>ListMeta</c>.</summary>
public sealed class ListMeta
{
    public string? ResourceVersion { get; set; }

    [JsonPropertyName("continue")]
    public string? Continue { get; set; }

    public long? RemainingItemCount { get; set; }
}
