using System.Text.Json.Serialization;

namespace Connectors.Modules.Model;

/// <summary><c>ConnectorClass.spec.proxy</c>: which proxy serves connectors of this class.</summary>
public sealed class ConnectorClassProxy
{
    public ServiceRef? Ref { get; set; }

    public string? Uri { get; set; }

    [JsonPropertyName("CACerts")]
    public string? CACerts { get; set; }

    public string? Audience { get; set; }

    public AuthExtractor? AuthExtractor { get; set; }
}
