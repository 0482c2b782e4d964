using System.Text.Json.Serialization;

namespace Connectors.Modules.Model;

/// <summary><c>TokenRequestStatus</c>.</summary>
public sealed class TokenRequestStatus
{
    public string? Token { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? ExpirationTimestamp { get; set; }
}
