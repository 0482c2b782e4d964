using Connectors.Modules.Model;

namespace Connectors.Modules.Csi;

/// <summary>
/// What the driver reads from and asks of Kubernetes. Reads come from watch caches (no round trip on the
/// publish path); TokenRequest and SubjectAccessReview are API calls. A seam so the driver can be tested
/// against an in-memory cluster and run against the Kube module's client.
/// </summary>
internal interface ICsiKube
{
    /// <summary>Whether the caches have listed everything once; publish waits for this.</summary>
    bool HasSynced { get; }

    Connector? GetConnector(string ns, string name);

    ConnectorClass? GetConnectorClass(string name);

    Secret? GetSecret(string ns, string name);

    Task<KubeAnswer<TokenRequest>> RequestTokenAsync(string ns, string serviceAccount, TokenRequest request, CancellationToken cancellationToken);

    Task<KubeAnswer<SubjectAccessReview>> ReviewAccessAsync(SubjectAccessReview review, CancellationToken cancellationToken);
}
