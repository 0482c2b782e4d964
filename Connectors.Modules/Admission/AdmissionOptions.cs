namespace Connectors.Modules.Admission;

/// <summary>
/// The controller's admission webhooks (section <c>Admission</c>; flags <c>--webhook-listen</c>,
/// <c>--webhook-cert-secret</c>, <c>--pod-image-pull-exposure</c>).
/// </summary>
public sealed class AdmissionOptions
{
    public const string SectionName = "Admission";

    /// <summary>Address of the HTTPS webhook listener. Defaults to <c>0.0.0.0:9443</c>.</summary>
    public string Listen { get; set; } = "0.0.0.0:9443";

    /// <summary>
    /// Secret (components namespace) with the serving certificate: <c>tls.crt</c>, <c>tls.key</c>, <c>ca.crt</c>.
    /// Created and renewed by the controller unless another issuer (cert-manager) owns it. Defaults to <c>connectors-webhook-cert</c>.
    /// </summary>
    public string CertificateSecret { get; set; } = "connectors-webhook-cert";

    /// <summary>The Service in front of the webhook listener (the certificate's DNS names). Defaults to <c>connectors-controller-webhook</c>.</summary>
    public string ServiceName { get; set; } = "connectors-controller-webhook";

    /// <summary>Name of the ValidatingWebhookConfiguration and MutatingWebhookConfiguration whose caBundle the controller keeps current. Defaults to <c>connectors-webhook</c>.</summary>
    public string ConfigurationName { get; set; } = "connectors-webhook";

    /// <summary>
    /// How kubelet reaches the proxy for rewritten images: <c>ClusterIP</c> (the proxy Service's cluster IP and
    /// port; the node's container runtime must allow plain HTTP to it) or <c>NodePort</c> (<c>localhost:&lt;nodePort&gt;</c>,
    /// which container runtimes allow over HTTP by default). The proxy Service's <c>connectors.alauda.io/external-url</c>
    /// annotation wins over both. Defaults to <c>ClusterIP</c>.
    /// </summary>
    public string ProxyExposure { get; set; } = "ClusterIP";

    /// <summary>Lifetime of the ServiceAccount token in a pull Secret; renewed once a third is left. Defaults to 12 hours.</summary>
    public TimeSpan PullTokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Validity of the serving certificate; renewed once less than a quarter is left. Defaults to 365 days.</summary>
    public TimeSpan CertificateValidity { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// How often the certificate, the caBundles (three GETs) and the pull Secrets (from the watch cache) are
    /// checked. Defaults to 10 seconds, so a freshly applied webhook configuration gets its caBundle soon.
    /// </summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// SubjectAccessReviews per second the Pod webhook may ask for Connectors of other namespaces, apart from the
    /// controller's own API budget (anyone who reaches the listener can post reviews). Defaults to 5.
    /// </summary>
    public double AccessReviewQps { get; set; } = 5;

    /// <summary>Of those, how many may go at once; a review beyond the budget is refused, to retry. Defaults to 20.</summary>
    public int AccessReviewBurst { get; set; } = 20;
}
