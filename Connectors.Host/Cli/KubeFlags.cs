namespace Connectors.Host.Cli;

/// <summary>Flags of the Kubernetes API client and of leader election (the Kube module's <c>Kube</c> section).</summary>
internal static class KubeFlags
{
    public static readonly IReadOnlyList<Flag> All =
    [
        new("--kube-api-qps", "Kube:Qps", "Client-side limit of Kubernetes API requests per second; 0 disables it", "20"),
        new("--kube-api-burst", "Kube:Burst", "Kubernetes API requests that may go out at once above --kube-api-qps", "30"),
        new("--leader-elect-lease-duration", "Kube:LeaderElection:LeaseDuration", "How long a non-renewed Lease stays valid before another replica takes it (Go duration)", "15s"),
        new("--leader-elect-renew-deadline", "Kube:LeaderElection:RenewDeadline", "How long the leader tries to renew before it stops leading (Go duration)", "10s"),
        new("--leader-elect-retry-period", "Kube:LeaderElection:RetryPeriod", "Interval between Lease acquire and renew attempts (Go duration)", "2s"),
    ];
}
