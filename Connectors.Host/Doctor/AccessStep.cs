using Connectors.Modules.Kube;
using Connectors.Modules.Model;

namespace Connectors.Host.Doctor;

/// <summary>
/// Step 3: a SubjectAccessReview asks whether the ServiceAccount may <c>get</c> the Connector, as the CSI driver
/// and the proxy do; when it may not, the line gives the <c>kubectl create rolebinding</c> that fixes it.
/// </summary>
internal static class AccessStep
{
    /// <summary>The ClusterRole the project ships for this (manifests/rbac/csi-node.yaml).</summary>
    public const string ViewerRole = "connectors-connector-viewer-role";

    public static async Task<StepResult> CheckAsync(KubeClient client, DoctorRequest request, CancellationToken cancellationToken)
    {
        var subject = $"rbac {request.UserName}";
        var what = $"get connectors.{ApiGroups.Connectors}/{request.Connector} in namespace {request.Namespace}";
        var review = await client.ReviewAccessAsync(Review(request), cancellationToken);
        if (!review.IsOk)
        {
            return StepResult.Fail(subject, ApiProblem.Describe(client, "ask whether it may " + what, review.Outcome, review.Message,
                "create on subjectaccessreviews.authorization.k8s.io"));
        }

        if (review.Value!.Status is { Allowed: true })
        {
            return StepResult.Ok(subject, "may " + what);
        }

        var fix = $"kubectl create rolebinding {request.ServiceAccount}-uses-connectors -n {request.Namespace} --clusterrole={ViewerRole} --serviceaccount={request.Namespace}:{request.ServiceAccount}";
        var role = await client.GetAsync<ClusterRole>(null, ViewerRole, cancellationToken);
        var install = role.Outcome == KubeOutcome.NotFound ? $"`kubectl apply -f manifests/rbac/csi-node.yaml` (it ships ClusterRole {ViewerRole}), then " : string.Empty;
        return StepResult.Fail(subject, $"may not {what}; fix: {install}`{fix}`");
    }

    private static SubjectAccessReview Review(DoctorRequest request) => new()
    {
        Spec = new SubjectAccessReviewSpec
        {
            User = request.UserName,
            Groups = ["system:serviceaccounts", $"system:serviceaccounts:{request.Namespace}", "system:authenticated"],
            ResourceAttributes = new ResourceAttributes
            {
                Namespace = request.Namespace,
                Verb = "get",
                Group = ApiGroups.Connectors,
                Resource = "connectors",
                Name = request.Connector,
            },
        },
    };
}
