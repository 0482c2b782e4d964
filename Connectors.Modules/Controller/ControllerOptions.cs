using System.ComponentModel.DataAnnotations;
using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>Controller settings (section <c>Controller</c>; flags <c>--probe-interval</c>, <c>--workers</c>, <c>--leader-elect</c>, ...).</summary>
public sealed class ControllerOptions
{
    public const string SectionName = "Controller";

    /// <summary>How often every Connector and ConnectorClass is probed again, plus up to 10 % jitter. Defaults to 5 minutes.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Connector reconcile workers. Defaults to 4.</summary>
    [Range(1, 1024)]
    public int Workers { get; set; } = 4;

    /// <summary>Probes in flight at once across all workers. Defaults to 64.</summary>
    [Range(1, 4096)]
    public int ProbeConcurrency { get; set; } = 64;

    /// <summary>Campaign for the Lease and reconcile only while leading (needed with more than one replica). Defaults to true.</summary>
    public bool LeaderElect { get; set; } = true;

    /// <summary>First retry delay after a failed reconcile; doubles per failure. Defaults to 100 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest retry delay after repeated failures. Defaults to 5 minutes.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Namespace of the components (proxy Service, proxy CA Secret); key <c>Components:Namespace</c>. Defaults to <c>connectors-system</c>.</summary>
    [Required]
    public string ComponentsNamespace { get; set; } = WellKnown.DefaultComponentsNamespace;

    /// <summary>Create the proxy CA Secret when it does not exist. Defaults to true.</summary>
    public bool CreateProxyCa { get; set; } = true;

    /// <summary>Record Events on condition changes. Defaults to true.</summary>
    public bool RecordEvents { get; set; } = true;

    /// <summary><see cref="ProbeInterval"/> plus a random 0-10 % so probes of many connectors spread out.</summary>
    public TimeSpan JitteredProbeInterval() => ProbeInterval * (1 + (0.1 * Random.Shared.NextDouble()));
}
