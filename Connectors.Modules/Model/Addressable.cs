using System.Text.Json.Serialization;

namespace Connectors.Modules.Model;

/// <summary>Knative-style addressable address: <c>{url, name, audience, CACerts}</c> (note the capital <c>CACerts</c>).</summary>
public sealed class Addressable
{
    public string? Url { get; set; }

    public string? Name { get; set; }

    public string? Audience { get; set; }

    [JsonPropertyName("CACerts")]
    public string? CACerts { get; set; }
}
