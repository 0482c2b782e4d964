namespace Connectors.Modules.Model;

/// <summary>The <c>PodSpec</c> fields Connectors reads.</summary>
public sealed class PodSpec
{
    public string? ServiceAccountName { get; set; }

    public string? NodeName { get; set; }

    public List<LocalObjectReference>? ImagePullSecrets { get; set; }
}
