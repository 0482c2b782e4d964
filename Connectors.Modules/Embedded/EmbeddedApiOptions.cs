namespace Connectors.Modules.Embedded;

/// <summary>Settings of the embedded Kubernetes-compatible API (configuration section <c>Embedded</c>).</summary>
public sealed class EmbeddedApiOptions
{
    public const string SectionName = "Embedded";

    /// <summary>The default audience of tokens, as a cluster's kube-apiserver has it.</summary>
    public const string DefaultAudience = "https://kubernetes.default.svc.cluster.local";

    /// <summary>Listen address, <c>host:port</c>. Defaults to <c>127.0.0.1:0</c> (a free loopback port).</summary>
    public string Listen { get; set; } = "127.0.0.1:0";

    /// <summary>
    /// Serve HTTPS with a certificate from a CA made at start (the kubeconfig carries the CA). Defaults to true:
    /// kubectl sends bearer tokens only over TLS.
    /// </summary>
    public bool Tls { get; set; } = true;

    /// <summary>The admin bearer token (group <c>system:masters</c>). Defaults to a random token made at start.</summary>
    public string? AdminToken { get; set; }

    /// <summary>How many change events are kept for watches that resume from a resourceVersion. Defaults to 1000.</summary>
    public int HistorySize { get; set; } = 1000;

    /// <summary>Interval of BOOKMARK events on watches that allow them. Defaults to 15 seconds.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a deleted namespace stays Terminating before its objects and itself are removed. Defaults to
    /// 1 second; zero removes everything at once.
    /// </summary>
    public TimeSpan NamespaceFinalizeDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Issuer (<c>iss</c>) of ServiceAccount tokens. Defaults to <see cref="DefaultAudience"/>, like a kubeadm cluster.</summary>
    public string Issuer { get; set; } = DefaultAudience;
}
