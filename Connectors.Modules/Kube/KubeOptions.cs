using System.ComponentModel.DataAnnotations;

namespace Connectors.Modules.Kube;

/// <summary>How the Kubernetes API is reached. Bound from the <c>Kube</c> configuration section.</summary>
public sealed class KubeOptions
{
    public const string SectionName = "Kube";

    /// <summary>
    /// Path of the kubeconfig. Empty: in-cluster configuration inside a pod, otherwise <c>$KUBECONFIG</c> (its first
    /// file) or <c>~/.kube/config</c>.
    /// </summary>
    public string? Kubeconfig { get; set; }

    /// <summary>Kubeconfig context; empty means the file's current-context.</summary>
    public string? Context { get; set; }

    /// <summary>Client-side rate limit in requests per second (token bucket refill); 0 or less disables it. Defaults to 20.</summary>
    [Range(-1, 100_000)]
    public double Qps { get; set; } = 20;

    /// <summary>Requests that may go out at once before <see cref="Qps"/> applies (token bucket size). Defaults to 30.</summary>
    [Range(1, 100_000)]
    public int Burst { get; set; } = 30;

    /// <summary>Upper bound of one non-watch request. Defaults to 30 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Check at start that the API server answers and accepts the credentials, and fail with one line if not.
    /// Defaults to true; how long to keep trying is <see cref="StartupTimeout"/>.
    /// </summary>
    public bool VerifyOnStart { get; set; } = true;

    /// <summary>How long the start-up check retries an unreachable server. Defaults to 15 seconds.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Leader election on a coordination.k8s.io Lease.</summary>
    public LeaderElectionOptions LeaderElection { get; set; } = new();
}
