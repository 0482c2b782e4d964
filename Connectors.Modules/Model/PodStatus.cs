namespace Connectors.Modules.Model;

/// <summary>The <c>PodStatus</c> fields Connectors reads.</summary>
public sealed class PodStatus
{
    public string? Phase { get; set; }

    public string? PodIP { get; set; }
}
