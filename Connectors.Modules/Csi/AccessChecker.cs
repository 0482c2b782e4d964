using Connectors.Modules.Model;

namespace Connectors.Modules.Csi;

/// <summary>Asks, with one SubjectAccessReview per Connector, whether the pod's ServiceAccount may <c>get</c> it.</summary>
internal static class AccessChecker
{
    public static async Task CheckAsync(ICsiKube kube, PodIdentity pod, IReadOnlyList<ConnectorRef> connectors, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(connectors.Select(c => kube.ReviewAccessAsync(Review(pod, c), cancellationToken)));
        for (var i = 0; i < answers.Length; i++)
        {
            var answer = answers[i];
            if (!answer.IsOk)
            {
                throw new RpcException(answer.Status, $"could not check access to connector \"{connectors[i]}\": {answer.Message}");
            }

            if (answer.Value!.Status is not { Allowed: true })
            {
                throw new RpcException(GrpcStatusCode.PermissionDenied,
                    $"permission denied: serviceaccount \"{pod.Namespace}/{pod.ServiceAccount}\" may not get connector \"{connectors[i]}\"");
            }
        }
    }

    private static SubjectAccessReview Review(PodIdentity pod, ConnectorRef connector) => new()
    {
        Spec = new SubjectAccessReviewSpec
        {
            User = pod.UserName,
            Groups = ["system:serviceaccounts", $"system:serviceaccounts:{pod.Namespace}", "system:authenticated"],
            ResourceAttributes = new ResourceAttributes
            {
                Namespace = connector.Namespace,
                Verb = "get",
                Group = ApiGroups.Connectors,
                Resource = "connectors",
                Name = connector.Name,
            },
        },
    };
}
