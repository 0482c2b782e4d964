namespace Connectors.Modules.Model;

/// <summary>Response check of a probe (<c>cel</c>: a boolean CEL expression; not supported here, reported in status).</summary>
public sealed class ProbeResponse
{
    public string? Cel { get; set; }
}
