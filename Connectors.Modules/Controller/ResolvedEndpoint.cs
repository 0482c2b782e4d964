namespace Connectors.Modules.Controller;

/// <summary>
/// A class's API or proxy endpoint after resolution: its URL and the host an ExternalName Service points at,
/// or the reason and message saying why it could not be resolved.
/// </summary>
internal sealed record ResolvedEndpoint(string? Url, string? Host, string? Reason, string? Problem)
{
    public bool IsResolved => Problem is null;

    public static ResolvedEndpoint Resolved(string url, string host) => new(url, host, null, null);

    public static ResolvedEndpoint Failed(string reason, string problem) => new(null, null, reason, problem);
}
