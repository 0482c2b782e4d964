using Connectors.Modules.Kube;
using Connectors.Modules.Model;

namespace Connectors.Host.Doctor;

/// <summary>
/// Step 3: a SubjectAccessReview asks whether the ServiceAccount may <c>get</c> the Connector, as the CSI driver
/// and the proxy do (and <c>connectors/proxy</c> when the proxy requires it); when it may not, the line gives the
/// <c>kubectl</c> commands that fix it.
/// </summary>
internal static class AccessStep
{
    /// <summary>The ClusterRole the project ships for this (manifests/rbac/csi-node.yaml).</summary>
    public const string ViewerRole = "connectors-connector-viewer-role";

    /// <summary>The Role the fix creates for <c>connectors/proxy</c> when the proxy requires it.</summary>
    public const string ProxyUserRole = "connectors-proxy-user";

    public static async Task<StepResult> CheckAsync(KubeClient client, DoctorRequest request, CancellationToken cancellationToken)
    {
        var subject = $"rbac {request.UserName}";
        var what = $"get connectors.{ApiGroups.Connectors}/{request.Connector} in namespace {request.Namespace}";
        var review = await client.ReviewAccessAsync(Review(request, null), cancellationToken);
        if (!review.IsOk)
        {
            return StepResult.Fail(subject, ApiProblem.Describe(client, "ask whether it may " + what, review.Outcome, review.Message,
                "create on subjectaccessreviews.authorization.k8s.io"));
        }

        if (review.Value!.Status is not { Allowed: true })
        {
            var fix = $"kubectl create rolebinding {request.ServiceAccount}-uses-connectors -n {request.Namespace} --clusterrole={ViewerRole} --serviceaccount={request.Namespace}:{request.ServiceAccount}";
            var role = await client.GetAsync<ClusterRole>(null, ViewerRole, cancellationToken);
            var install = role.Outcome == KubeOutcome.NotFound ? $"`kubectl apply -f manifests/rbac/csi-node.yaml` (it ships ClusterRole {ViewerRole}), then " : string.Empty;
            return StepResult.Fail(subject, $"may not {what}; fix: {install}`{fix}`");
        }

        return await CheckProxySubresourceAsync(client, request, subject, what, cancellationToken);
    }

    /// <summary>
    /// With <c>enable-connector-proxy-permissions</c> on in ConfigMap <c>connectors-config</c>, the proxy also requires
    /// <c>get connectors/proxy</c>; no shipped role grants it, so the fix creates one.
    /// </summary>
    private static async Task<StepResult> CheckProxySubresourceAsync(KubeClient client, DoctorRequest request, string subject, string what, CancellationToken cancellationToken)
    {
        var config = await client.GetAsync<ConfigMap>(request.ComponentsNamespace, WellKnown.ConfigMapName, cancellationToken);
        if (!FeatureFlags.IsEnabled(config.Value, FeatureFlags.ProxyPermissions))
        {
            return StepResult.Ok(subject, "may " + what);
        }

        var flag = $"{FeatureFlags.ProxyPermissions} is true in ConfigMap {request.ComponentsNamespace}/{WellKnown.ConfigMapName}";
        var review = await client.ReviewAccessAsync(Review(request, "proxy"), cancellationToken);
        if (!review.IsOk)
        {
            return StepResult.Fail(subject, ApiProblem.Describe(client, "ask whether it may get connectors/proxy", review.Outcome, review.Message,
                "create on subjectaccessreviews.authorization.k8s.io"));
        }

        if (review.Value!.Status is { Allowed: true })
        {
            return StepResult.Ok(subject, $"may {what} and its connectors/proxy subresource ({flag})");
        }

        var role = $"kubectl create role {ProxyUserRole} -n {request.Namespace} --verb=get --resource=connectors.{ApiGroups.Connectors}/proxy";
        var binding = $"kubectl create rolebinding {request.ServiceAccount}-uses-connectors-proxy -n {request.Namespace} --role={ProxyUserRole} --serviceaccount={request.Namespace}:{request.ServiceAccount}";
        return StepResult.Fail(subject, $"may {what} but not get its connectors/proxy subresource, which the proxy requires while {flag}; fix: `{role}` and `{binding}`");
    }

    private static SubjectAccessReview Review(DoctorRequest request, string? subresource) =>
        SubjectAccessReview.GetConnector(SubjectAccessReview.ServiceAccount(request.Namespace, request.ServiceAccount), request.Namespace, request.Connector, subresource);
}
