namespace Connectors.Modules.Model;

/// <summary>A Rego policy (the original's extension mechanism; reported as unsupported here).</summary>
public sealed class RegoPolicy
{
    public string? Rego { get; set; }
}
