namespace Connectors.Modules.Model;

/// <summary>An HTTP probe. <c>path</c> and header values are Go templates.</summary>
public sealed class HttpProbeSpec
{
    public string Path { get; set; } = string.Empty;

    /// <summary><c>GET</c> (default) or <c>POST</c>.</summary>
    public string? Method { get; set; }

    /// <summary>Host to probe; the connector address host when empty.</summary>
    public string? Host { get; set; }

    /// <summary><c>http</c> or <c>https</c>; empty = the connector address scheme when the host is empty or equal.</summary>
    public string? Scheme { get; set; }

    public List<HttpHeaderSpec>? HttpHeaders { get; set; }

    public bool? DisableRedirect { get; set; }

    public ProbeResponse? Response { get; set; }
}
