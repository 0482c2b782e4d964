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

    /// <summary>Why the API server is known unreachable now, or null; a publish that needs it then answers UNAVAILABLE at once.</summary>
    string? Unreachable { get; }

    /// <summary>Cancelled the moment the API server is found unreachable, so a call under way stops waiting.</summary>
    CancellationToken LostToken { get; }

    /// <summary>A call is taking unusually long: have the API server's reachability checked now.</summary>
    void Suspect();

    Connector? GetConnector(string ns, string name);

    ConnectorClass? GetConnectorClass(string name);

    Secret? GetSecret(string ns, string name);

    Task<KubeAnswer<TokenRequest>> RequestTokenAsync(string ns, string serviceAccount, TokenRequest request, CancellationToken cancellationToken);

    Task<KubeAnswer<SubjectAccessReview>> ReviewAccessAsync(SubjectAccessReview review, CancellationToken cancellationToken);
}
