using System.ComponentModel.DataAnnotations;

namespace Connectors.Modules.Proxy;

/// <summary>Settings of the proxy role (section <c>Proxy</c>).</summary>
public sealed class ProxyOptions
{
    public const string SectionName = "Proxy";

    /// <summary>Plain-HTTP listen address (<c>--proxy-listen</c>). Defaults to <c>0.0.0.0:8080</c>.</summary>
    [Required]
    public string Listen { get; set; } = "0.0.0.0:8080";

    /// <summary>How long an allowed token review is reused (<c>--proxy-allow-ttl</c>). Defaults to 2 minutes.</summary>
    public TimeSpan AllowTtl { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a denied or failed token review is reused (<c>--proxy-deny-ttl</c>). Defaults to 30 seconds.</summary>
    public TimeSpan DenyTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Upper bound of one TokenReview or SubjectAccessReview (<c>Proxy:ReviewTimeout</c>); past it the request gets 503.
    /// Defaults to 5 seconds. A stopped API server is usually noticed sooner (about 2 seconds).
    /// </summary>
    public TimeSpan ReviewTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Reviews at once of tokens the proxy cannot verify locally with the ServiceAccount issuer's keys (random strings,
    /// other issuers) (<c>Proxy:UnverifiedReviews</c>). Defaults to 4. Verified ServiceAccount tokens never wait for these.
    /// </summary>
    [Range(1, 1024)]
    public int UnverifiedReviews { get; set; } = 4;

    /// <summary>How long an unverified token waits for a review slot before 503 (<c>Proxy:UnverifiedReviewWait</c>). Defaults to 1 second.</summary>
    public TimeSpan UnverifiedReviewWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most review results kept (<c>--proxy-review-cache-size</c>). Defaults to 10000.</summary>
    [Range(16, 10_000_000)]
    public int ReviewCacheSize { get; set; } = 10_000;

    /// <summary>
    /// Whether a CONNECT to a host that matches no listed Connector becomes a blind TCP tunnel (no interception,
    /// no credential), and an absolute-form request to such an origin is forwarded without credential, instead of
    /// 403 (<c>--proxy-allow-blind-tunnels</c>). Defaults to false.
    /// </summary>
    public bool AllowBlindTunnels { get; set; }

    /// <summary>Upper bound for opening an upstream connection (<c>--proxy-connect-timeout</c>). Defaults to 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest time a client may take to send a request head, CONNECT heads included (<c>Proxy:HeadTimeout</c>); slower
    /// clients (slowloris) are disconnected. Defaults to 10 seconds.
    /// </summary>
    public TimeSpan HeadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Idle keep-alive connections from clients are closed after this (<c>--proxy-idle-timeout</c>). Defaults to 2 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Most leaf certificates kept for TLS interception. Defaults to 1024.</summary>
    [Range(1, 1_000_000)]
    public int LeafCacheSize { get; set; } = 1024;

    /// <summary>Validity of a minted leaf certificate. Defaults to 24 hours.</summary>
    public TimeSpan LeafValidity { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Whether every request writes an access-log line at Information (<c>--proxy-access-log</c>). Defaults to true;
    /// metrics are recorded either way.
    /// </summary>
    public bool AccessLog { get; set; } = true;

    /// <summary>Namespace of the proxy CA Secret and the <c>connectors-config</c> ConfigMap (from <c>--components-namespace</c>).</summary>
    public string ComponentsNamespace { get; set; } = Model.WellKnown.DefaultComponentsNamespace;
}
