using System.ComponentModel.DataAnnotations;

namespace Connectors.Modules.Probes;

/// <summary>Probe settings (section <c>Probes</c>; flag <c>--probe-timeout</c>).</summary>
public sealed class ProbeOptions
{
    public const string SectionName = "Probes";

    /// <summary>Upper bound for one probe request, from connect to response headers: 1 ms to 1 h, default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many redirects within the probe URL's origin a probe follows before reporting the last 3xx. Defaults to 10
    /// (as Go). A redirect to another origin is never followed.
    /// </summary>
    [Range(1, 50)]
    public int MaxRedirects { get; set; } = 10;
}
