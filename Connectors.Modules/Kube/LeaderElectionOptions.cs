namespace Connectors.Modules.Kube;

/// <summary>Leader election timings and the Lease they apply to (client-go's defaults).</summary>
public sealed class LeaderElectionOptions
{
    /// <summary>Name of the Lease. Defaults to <c>connectors-controller</c>.</summary>
    public string LeaseName { get; set; } = "connectors-controller";

    /// <summary>Namespace of the Lease; empty means the components namespace (<c>Components:Namespace</c>, default <c>connectors-system</c>).</summary>
    public string? LeaseNamespace { get; set; }

    /// <summary>Identity written as holder; empty means host name plus a random suffix.</summary>
    public string? Identity { get; set; }

    /// <summary>How long a lease is valid after its last renewal; candidates wait this long before taking it over. Defaults to 15 s.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leadership. Defaults to 10 s.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval between acquire and renew attempts. Defaults to 2 s.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);
}
