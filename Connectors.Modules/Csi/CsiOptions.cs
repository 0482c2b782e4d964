using System.ComponentModel.DataAnnotations;

namespace Connectors.Modules.Csi;

/// <summary>Settings of the <c>connectors-csi</c> node driver (section <c>Csi</c>).</summary>
public sealed class CsiOptions
{
    public const string SectionName = "Csi";

    /// <summary>The gRPC endpoint kubelet calls, <c>unix:///path</c>. Defaults to <c>unix:///csi/csi.sock</c>.</summary>
    [Required]
    public string Endpoint { get; set; } = "unix:///csi/csi.sock";

    /// <summary>The node id NodeGetInfo answers. Defaults to the <c>NODE_NAME</c> environment variable.</summary>
    public string? NodeId { get; set; }

    /// <summary>
    /// kubelet's pods directory (its <c>--root-dir</c> followed by <c>/pods</c>). Every <c>target_path</c> must be a
    /// real directory below it: no component below it may be a symbolic link (the directory itself may be reached
    /// through one). Defaults to <c>/var/lib/kubelet/pods</c>.
    /// </summary>
    [Required]
    public string KubeletPodsDir { get; set; } = "/var/lib/kubelet/pods";

    /// <summary>
    /// Accept a <c>target_path</c> anywhere (still a real directory, with no symbolic link from <c>/</c>): embedded
    /// mode sets it, where no kubelet exists and <c>connectors csi publish --target DIR</c> names the directory.
    /// Defaults to false.
    /// </summary>
    public bool AnyTarget { get; set; }

    /// <summary>
    /// Mount a tmpfs at each target before writing: <c>auto</c> (default: when the process may mount, i.e. runs
    /// as root), <c>true</c> or <c>false</c>.
    /// </summary>
    [RegularExpression("^(auto|true|false)$", ErrorMessage = "Csi:Tmpfs must be auto, true or false")]
    public string Tmpfs { get; set; } = "auto";

    /// <summary>Size limit of each tmpfs volume, in bytes, and of the files written into one volume. Defaults to 8 MiB.</summary>
    [Range(4096, 1L << 30)]
    public long MaxVolumeBytes { get; set; } = 8L << 20;

    /// <summary>Largest request message accepted, in bytes. Defaults to 4 MiB (the gRPC default).</summary>
    [Range(1024, 64 << 20)]
    public int MaxMessageBytes { get; set; } = 4 << 20;

    /// <summary>Largest <c>configuration.params</c> attribute, in bytes. Defaults to 64 KiB.</summary>
    [Range(2, 1 << 20)]
    public int MaxParamsBytes { get; set; } = 64 << 10;

    /// <summary>Whether one volume may mount several connectors (the original's <c>enable-multi-connector</c>). Defaults to true.</summary>
    public bool MultiConnector { get; set; } = true;

    /// <summary>Audience every issued token carries besides the proxy URL. Defaults to the API server's.</summary>
    [Required]
    public string ApiAudience { get; set; } = "https://kubernetes.default.svc.cluster.local";

    /// <summary>Namespace holding the proxy CA Secret <c>connectors-proxy-ca</c>. Bound from <c>Components:Namespace</c>.</summary>
    [Required]
    public string ComponentsNamespace { get; set; } = "connectors-system";

    /// <summary>
    /// How long an allowed SubjectAccessReview (ServiceAccount may get Connector) is reused. Defaults to 10 seconds;
    /// zero asks every time. Denials are never reused.
    /// </summary>
    public TimeSpan AccessReviewCacheTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest time one NodePublishVolume waits for the Kubernetes API (its SubjectAccessReviews and TokenRequest
    /// together); past it the call answers UNAVAILABLE, well inside kubelet's own 2-minute limit, and kubelet retries.
    /// Defaults to 20 seconds.
    /// </summary>
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Once ready, again a minute after the last volume call, and every 5 minutes while quiet, hand back
    /// the memory idle does not need: the executable's and the libraries' resident pages (unmapped, the page cache
    /// keeps them), the garbage collector's free space and glibc's free heap tops. The idle driver's resident set
    /// falls from ~57 to ~29-35 MiB (docs/benchmarks.md). Linux only; off by default when other roles share the
    /// process. Defaults to true.
    /// </summary>
    public bool ReleaseIdleMemory { get; set; } = true;

    /// <summary>The plugin version GetPluginInfo reports. Defaults to the assembly's informational version.</summary>
    public string? Version { get; set; }
}
