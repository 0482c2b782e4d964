using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Connectors.Modules.Model;

/// <summary><c>ConnectorClass.spec.api</c>: the class's API server.</summary>
public sealed class ConnectorClassApi
{
    public ServiceRef? Ref { get; set; }

    /// <summary>Absolute URL, or a path prefix appended to the resolved <c>ref</c>.</summary>
    public string? Uri { get; set; }

    [JsonPropertyName("CACerts")]
    public string? CACerts { get; set; }

    public string? Audience { get; set; }

    /// <summary>OpenAPI 3 document describing the API (free-form).</summary>
    public JsonNode? Openapi { get; set; }

    public RegoPolicy? Permissions { get; set; }
}
