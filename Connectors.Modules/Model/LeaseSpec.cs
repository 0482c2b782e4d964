using System.Text.Json.Serialization;

namespace Connectors.Modules.Model;

/// <summary>coordination.k8s.io <c>LeaseSpec</c>. Times are MicroTime (microsecond RFC 3339).</summary>
public sealed class LeaseSpec
{
    public string? HolderIdentity { get; set; }

    public int? LeaseDurationSeconds { get; set; }

    [JsonConverter(typeof(KubeMicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; set; }

    [JsonConverter(typeof(KubeMicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; set; }

    public int? LeaseTransitions { get; set; }
}
