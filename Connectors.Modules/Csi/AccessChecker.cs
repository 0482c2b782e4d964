using System.Collections.Concurrent;
using Connectors.Modules.Model;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Csi;

/// <summary>
/// Asks, with one SubjectAccessReview per Connector, whether the pod's ServiceAccount may <c>get</c> it. An
/// allowed answer is remembered for <see cref="CsiOptions.AccessReviewCacheTtl"/>, so the pods of one workload
/// starting together (and kubelet's periodic re-publish) cost one review; a denial is never remembered, so a new
/// RoleBinding takes effect at the next attempt.
/// </summary>
internal sealed class AccessChecker(ICsiKube kube, IOptions<CsiOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string User, ConnectorRef Connector), DateTimeOffset> _allowed = new();

    public async Task CheckAsync(PodIdentity pod, IReadOnlyList<ConnectorRef> connectors, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pending = connectors.Where(c => !(_allowed.TryGetValue((pod.UserName, c), out var until) && until > now)).ToList();
        var answers = await Task.WhenAll(pending.Select(c => kube.ReviewAccessAsync(Review(pod, c), cancellationToken)));
        for (var i = 0; i < answers.Length; i++)
        {
            var answer = answers[i];
            if (!answer.IsOk)
            {
                throw new RpcException(new Status(answer.Status, $"could not check access to connector \"{pending[i]}\": {answer.Message}"));
            }

            if (answer.Value!.Status is not { Allowed: true })
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied,
                    $"permission denied: serviceaccount \"{pod.Namespace}/{pod.ServiceAccount}\" may not get connector \"{pending[i]}\""));
            }

            if (options.Value.AccessReviewCacheTtl > TimeSpan.Zero)
            {
                _allowed[(pod.UserName, pending[i])] = now + options.Value.AccessReviewCacheTtl;
            }
        }

        if (_allowed.Count > 10_000)
        {
            foreach (var (key, until) in _allowed)
            {
                if (until <= now)
                {
                    _allowed.TryRemove(key, out _);
                }
            }
        }
    }

    private static SubjectAccessReview Review(PodIdentity pod, ConnectorRef connector) =>
        SubjectAccessReview.GetConnector(SubjectAccessReview.ServiceAccount(pod.Namespace, pod.ServiceAccount), connector.Namespace, connector.Name);
}
