using System.Collections.Concurrent;
using Connectors.Modules.Csi;
using Connectors.Modules.Model;
using Grpc.Core;

namespace Connectors.Tests.Support;

/// <summary>
/// An in-memory cluster for the CSI driver: objects by name, an allow list for SubjectAccessReviews, and
/// TokenRequest answers that record what was asked. Thread-safe; every call is counted.
/// </summary>
internal sealed class InMemoryCsiKube : ICsiKube
{
    private readonly ConcurrentDictionary<string, Connector> _connectors = new();
    private readonly ConcurrentDictionary<string, ConnectorClass> _classes = new();
    private readonly ConcurrentDictionary<string, Secret> _secrets = new();
    private readonly ConcurrentDictionary<string, bool> _allowed = new();
    private int _tokens;

    public bool HasSynced { get; set; } = true;

    public string? Unreachable { get; set; }

    public CancellationToken LostToken => CancellationToken.None;

    public void Suspect()
    {
    }

    /// <summary>When set, TokenRequest fails with this status.</summary>
    public StatusCode? TokenFailure { get; set; }

    public ConcurrentQueue<TokenRequest> TokenRequests { get; } = new();

    public ConcurrentQueue<SubjectAccessReview> Reviews { get; } = new();

    public void Add(Connector connector) => _connectors[$"{connector.Metadata.Namespace}/{connector.Metadata.Name}"] = connector;

    public void Add(ConnectorClass connectorClass) => _classes[connectorClass.Metadata.Name!] = connectorClass;

    public void Add(Secret secret) => _secrets[$"{secret.Metadata.Namespace}/{secret.Metadata.Name}"] = secret;

    /// <summary>Lets <c>system:serviceaccount:ns:sa</c> get the Connector <c>connectorNs/name</c>.</summary>
    public void Allow(string user, string connectorNamespace, string name) => _allowed[$"{user}|{connectorNamespace}/{name}"] = true;

    /// <summary>When set, thrown by every Connector lookup: a bug in the driver, as its gRPC handler sees it.</summary>
    public Exception? Fault { get; set; }

    public Connector? GetConnector(string ns, string name) => Fault is { } fault ? throw fault : _connectors.GetValueOrDefault($"{ns}/{name}");

    public ConnectorClass? GetConnectorClass(string name) => _classes.GetValueOrDefault(name);

    public Secret? GetSecret(string ns, string name) => _secrets.GetValueOrDefault($"{ns}/{name}");

    public Task<KubeAnswer<TokenRequest>> RequestTokenAsync(string ns, string serviceAccount, TokenRequest request, CancellationToken cancellationToken)
    {
        TokenRequests.Enqueue(request);
        if (TokenFailure is { } failure)
        {
            return Task.FromResult(KubeAnswer<TokenRequest>.Fail(failure, "token requests are failing"));
        }

        var n = Interlocked.Increment(ref _tokens);
        request.Status = new TokenRequestStatus { Token = $"token-{ns}-{serviceAccount}-{n}" };
        return Task.FromResult(KubeAnswer<TokenRequest>.Ok(request));
    }

    public Task<KubeAnswer<SubjectAccessReview>> ReviewAccessAsync(SubjectAccessReview review, CancellationToken cancellationToken)
    {
        Reviews.Enqueue(review);
        var attributes = review.Spec.ResourceAttributes!;
        var allowed = attributes is { Verb: "get", Group: ApiGroups.Connectors, Resource: "connectors" }
            && _allowed.ContainsKey($"{review.Spec.User}|{attributes.Namespace}/{attributes.Name}");
        review.Status = new SubjectAccessReviewStatus { Allowed = allowed };
        return Task.FromResult(KubeAnswer<SubjectAccessReview>.Ok(review));
    }
}
