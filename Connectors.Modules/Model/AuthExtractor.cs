namespace Connectors.Modules.Model;

/// <summary>
/// Where the proxy finds the client's ServiceAccount token besides <c>Authorization</c>. <c>rego</c> is the
/// original's form (unsupported here, reported in status); <c>headers</c> is the native equivalent: request
/// header names whose value is the token (for example <c>Private-Token</c>).
/// </summary>
public sealed class AuthExtractor
{
    public string? Rego { get; set; }

    public List<string>? Headers { get; set; }
}
