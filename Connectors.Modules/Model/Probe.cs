namespace Connectors.Modules.Model;

/// <summary>A liveness or auth probe: an HTTP request to the tool, or a request to the class API.</summary>
public sealed class Probe
{
    public HttpProbeSpec? Http { get; set; }

    public ApiProbeSpec? Api { get; set; }
}
