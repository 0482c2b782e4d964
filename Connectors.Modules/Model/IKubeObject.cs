namespace Connectors.Modules.Model;

/// <summary>A Kubernetes object: apiVersion, kind and metadata.</summary>
public interface IKubeObject
{
    string? ApiVersion { get; set; }

    string? Kind { get; set; }

    ObjectMeta Metadata { get; set; }
}
