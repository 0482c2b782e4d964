using System.Text.Json.Serialization;

namespace Connectors.Modules.Model;

/// <summary>
/// A Knative-style condition. <c>severity</c> empty means Error; <c>Info</c> and <c>Warning</c> conditions do not
/// affect <c>Ready</c>.
/// </summary>
public sealed class Condition
{
    public string Type { get; set; } = string.Empty;

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c>.</summary>
    [JsonConverter(typeof(ConditionStatusConverter))]
    public string Status { get; set; } = ConditionStatus.Unknown;

    public string? Reason { get; set; }

    public string? Message { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastTransitionTime { get; set; }

    public string? Severity { get; set; }
}
