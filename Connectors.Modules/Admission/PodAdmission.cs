using System.Text.Json.Nodes;
using Connectors.Modules.Controller;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;

namespace Connectors.Modules.Admission;

/// <summary>
/// The mutating webhook for Pods that pull their images through a Connector (annotation
/// <c>connectors.cpaas.io/connector: &lt;ns&gt;/&lt;name&gt;</c>, label <c>connectors.cpaas.io/proxy-inject: "true"</c>):
/// with the feature flag <c>enable-pod-image-pull-via-connector</c> on, images of the Connector's registry are
/// rewritten to the proxy and a pull Secret with a token of the Pod's ServiceAccount is added; with it off such
/// Pods are refused, as the original does. A Connector of another namespace is looked at only once a
/// SubjectAccessReview says the Pod's ServiceAccount may <c>get</c> it: until then a missing Connector and one the
/// ServiceAccount may not use get the same refusal, so a Pod author learns nothing RBAC does not give them.
/// </summary>
internal sealed class PodAdmission(
    ControllerCaches caches, PullSecretRenewer renewer, KubeClient client, AdmissionOptions options, ControllerOptions controller, TimeProvider time)
{
    public const string ConnectorAnnotation = "connectors.cpaas.io/connector";
    public const string InjectLabel = "connectors.cpaas.io/proxy-inject";
    public const string FeatureFlag = "enable-pod-image-pull-via-connector";

    /// <summary>The longest a review waits for the access review budget before it is refused.</summary>
    private static readonly TimeSpan LongestBudgetWait = TimeSpan.FromSeconds(1);

    // The webhook's own budget for SubjectAccessReviews: reviews anyone may post must not spend the controller's.
    private readonly KubeRateLimiter _accessReviews = new(options.AccessReviewQps, options.AccessReviewBurst, time);

    public async Task<AdmissionDecision> ReviewAsync(JsonObject request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((string?)request["operation"] != "CREATE" || request["object"] is not JsonObject pod
            || (string?)pod["metadata"]?["labels"]?[InjectLabel] != "true")
        {
            return AdmissionDecision.Allow();
        }

        var podNamespace = (string?)request["namespace"] ?? (string?)pod["metadata"]?["namespace"] ?? "default";
        var flags = caches.Flags.Get(controller.ComponentsNamespace, WellKnown.ConfigMapName);
        if (!FeatureFlags.IsEnabled(flags, FeatureFlag))
        {
            return AdmissionDecision.Deny($"image pulls through a Connector are disabled: the Pod has label {InjectLabel}: \"true\"; set \"{FeatureFlag}\": \"true\" in ConfigMap {controller.ComponentsNamespace}/{WellKnown.ConfigMapName}, or remove the label");
        }

        var reference = (string?)pod["metadata"]?["annotations"]?[ConnectorAnnotation];
        if (string.IsNullOrWhiteSpace(reference))
        {
            return AdmissionDecision.Deny($"metadata.annotations[{ConnectorAnnotation}]: Required value: a Pod with label {InjectLabel}: \"true\" names the Connector to pull through as <namespace>/<name>");
        }

        var parts = reference.Split('/');
        var (ns, name) = parts.Length == 2 ? (parts[0], parts[1]) : parts.Length == 1 ? (podNamespace, parts[0]) : ("", "");
        if (ns.Length == 0 || name.Length == 0)
        {
            return AdmissionDecision.Deny($"metadata.annotations[{ConnectorAnnotation}]: Invalid value: \"{reference}\": want <namespace>/<name>");
        }

        var serviceAccount = (string?)pod["spec"]?["serviceAccountName"] is { Length: > 0 } sa ? sa : "default";
        if (ns != podNamespace && await CrossNamespaceRefusalAsync(podNamespace, serviceAccount, ns, name, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        if (caches.Connectors.Get(ns, name) is not { } connector)
        {
            return AdmissionDecision.Deny($"metadata.annotations[{ConnectorAnnotation}]: connector \"{ns}/{name}\" not found");
        }

        if (!Uri.TryCreate(connector.Spec.Address, UriKind.Absolute, out var registry))
        {
            return AdmissionDecision.Deny($"connector \"{ns}/{name}\" has no usable spec.address");
        }

        var (proxyHost, problem) = ProxyExposure.Resolve(caches.Services.Get(controller.ComponentsNamespace, WellKnown.ProxyServiceName), options.ProxyExposure);
        if (proxyHost is null)
        {
            return AdmissionDecision.Deny($"cannot rewrite images to the proxy: {problem}");
        }

        var (patch, rewritten, left) = PodImageRewriter.Rewrite(pod, registry, ns, name, proxyHost);
        if (rewritten.Count == 0)
        {
            return left.Count == 0
                ? AdmissionDecision.Allow()
                : AdmissionDecision.Deny($"no image of the Pod is from the registry of connector \"{ns}/{name}\" ({registry.Authority}): {string.Join("; ", left)}");
        }

        // The webhook names the Secret; the controller writes it once the Pod exists (PullSecretRenewer): a review
        // can be forged by anyone who reaches this listener, so it never makes the controller issue a token.
        var secretName = PullSecrets.NameFor(podNamespace, serviceAccount, connector, proxyHost);
        patch.Add((JsonNode)AddAnnotation(pod, PullSecrets.PodRegistryAnnotation, proxyHost));
        var dryRun = request["dryRun"] is JsonValue d && d.TryGetValue<bool>(out var yes) && yes;
        if (!dryRun)
        {
            renewer.Nudge();
        }

        if (PodImageRewriter.AddPullSecret(pod, secretName) is { } add)
        {
            patch.Add((JsonNode)add);
        }

        return new AdmissionDecision(true, Patch: patch, Warnings: [.. left]);
    }

    /// <summary>
    /// The refusal of a reference to Connector <paramref name="ns"/>/<paramref name="name"/> of another namespace
    /// that the Pod's ServiceAccount may not <c>get</c> (the proxy would refuse its pulls), or null when it may. Asked
    /// before the Connector is looked up, so neither the message nor the time taken depends on whether it exists. The
    /// reviews draw on the webhook's own budget (<see cref="AdmissionOptions.AccessReviewQps"/>), not the controller
    /// client's: a flood of posted reviews refuses cross-namespace Pods for a while but never slows reconciling.
    /// </summary>
    private async Task<AdmissionDecision?> CrossNamespaceRefusalAsync(string podNamespace, string serviceAccount, string ns, string name, CancellationToken cancellationToken)
    {
        if (!await _accessReviews.TryWaitAsync(LongestBudgetWait, cancellationToken))
        {
            return AdmissionDecision.Deny($"too many Pods name Connectors of other namespaces right now (at most {options.AccessReviewQps} checks a second): retry");
        }

        var review = SubjectAccessReview.GetConnector(SubjectAccessReview.ServiceAccount(podNamespace, serviceAccount), ns, name);
        var answer = await client.ReviewAccessAsync(review, limited: false, cancellationToken);
        if (!answer.IsOk)
        {
            return AdmissionDecision.Deny($"could not check whether serviceaccount \"{podNamespace}/{serviceAccount}\" may get connector \"{ns}/{name}\": {answer.Outcome}: {answer.Message}");
        }

        return answer.Value?.Status is { Allowed: true }
            ? null
            : AdmissionDecision.Deny($"metadata.annotations[{ConnectorAnnotation}]: connector \"{ns}/{name}\" not found, or serviceaccount \"{podNamespace}/{serviceAccount}\" may not get it (a Connector of another namespace is usable by the ServiceAccounts allowed to get it)");
    }

    /// <summary>The operation that sets a Pod annotation (the Pod has annotations: it names its Connector in one).</summary>
    private static JsonObject AddAnnotation(JsonObject pod, string key, string value) => new()
    {
        ["op"] = pod["metadata"]?["annotations"]?[key] is null ? "add" : "replace",
        ["path"] = "/metadata/annotations/" + key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal),
        ["value"] = value,
    };
}
