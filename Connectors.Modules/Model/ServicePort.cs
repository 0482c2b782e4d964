using System.Text.Json.Nodes;

namespace Connectors.Modules.Model;

/// <summary>Kubernetes <c>ServicePort</c>. <c>targetPort</c> is an int or a name.</summary>
public sealed class ServicePort
{
    public string? Name { get; set; }

    public string? Protocol { get; set; }

    public int Port { get; set; }

    public JsonNode? TargetPort { get; set; }

    public string? AppProtocol { get; set; }

    public int? NodePort { get; set; }
}
