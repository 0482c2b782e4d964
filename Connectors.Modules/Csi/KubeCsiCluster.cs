using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Grpc.Core;

namespace Connectors.Modules.Csi;

/// <summary>
/// <see cref="ICsiKube"/> on the Kube module: Connectors and ConnectorClasses from the shared watch caches,
/// the proxy CA from <see cref="ProxyCaCache"/>, TokenRequest and SubjectAccessReview through <see cref="KubeClient"/>.
/// </summary>
internal sealed class KubeCsiCluster(
    KubeClient client, ResourceCache<Connector> connectors, ResourceCache<ConnectorClass> classes, ProxyCaCache proxyCa) : ICsiKube
{
    public bool HasSynced => connectors.HasSynced && classes.HasSynced && proxyCa.Cache.HasSynced;

    public string? Unreachable => client.Reachability.Problem;

    public CancellationToken LostToken => client.Reachability.LostToken;

    public void Suspect() => client.Reachability.Suspect();

    public Connector? GetConnector(string ns, string name) => connectors.Get(ns, name);

    public ConnectorClass? GetConnectorClass(string name) => classes.Get(null, name);

    public Secret? GetSecret(string ns, string name) => proxyCa.Cache.Get(ns, name);

    public async Task<KubeAnswer<TokenRequest>> RequestTokenAsync(string ns, string serviceAccount, TokenRequest request, CancellationToken cancellationToken) =>
        Answer(await client.RequestTokenAsync(ns, serviceAccount, request, cancellationToken), $"serviceaccount \"{ns}/{serviceAccount}\"");

    public async Task<KubeAnswer<SubjectAccessReview>> ReviewAccessAsync(SubjectAccessReview review, CancellationToken cancellationToken) =>
        Answer(await client.ReviewAccessAsync(review, cancellationToken), "subjectaccessreview");

    /// <summary>Maps an API outcome to the status kubelet sees; everything that may pass is UNAVAILABLE so kubelet retries.</summary>
    private static KubeAnswer<T> Answer<T>(KubeResult<T> result, string what)
        where T : class
    {
        if (result.IsOk)
        {
            return KubeAnswer<T>.Ok(result.Value!);
        }

        var status = result.Outcome switch
        {
            KubeOutcome.NotFound => StatusCode.NotFound,
            KubeOutcome.Forbidden => StatusCode.PermissionDenied,
            KubeOutcome.Unauthorized => StatusCode.Unauthenticated,
            KubeOutcome.Invalid => StatusCode.InvalidArgument,
            _ => StatusCode.Unavailable,
        };
        return KubeAnswer<T>.Fail(status, $"{what}: {result.Message ?? result.Outcome.ToString()}");
    }
}
