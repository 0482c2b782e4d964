using Connectors.Modules.Model;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Resolves the Connector(s) a client names and checks its token: authentication first (so an anonymous caller
/// cannot probe which Connectors exist), then existence (404), then authorization (403).
/// </summary>
internal sealed class ProxyAccess(IConnectorDirectory directory, AccessReviewer reviewer, IOptions<ProxyOptions> options)
{
    /// <summary>
    /// Reverse mode (and the registry's path form): the client addressed <paramref name="key"/>, <paramref name="found"/>
    /// from <see cref="Find"/> for this request, the token read in place
    /// (<see cref="ClientCredentials.ReadReverseTokenInPlace(Microsoft.AspNetCore.Http.IHeaderDictionary, IReadOnlyList{string}?)"/>) with its <paramref name="hash"/>
    /// (<see cref="TokenHashMemo"/>).
    /// </summary>
    public async ValueTask<AccessCheck> CheckReverseAsync(
        ConnectorKey key, (Connector? Connector, ConnectorClass? Class) found, ReadOnlyMemory<char> token, string hash, CancellationToken cancellationToken)
    {
        var (connector, connectorClass) = found;
        if (connector is null)
        {
            return await MissingAsync(key, token.ToString(), cancellationToken);
        }

        return await AuthorizeAsync(key, connector, connector, connectorClass, token, hash, cancellationToken);
    }

    /// <summary>
    /// Forward mode: the client listed <paramref name="credential"/>'s Connectors. The first whose addresses
    /// <paramref name="matches"/> is authorized and injected; when none matches, the first listed is authorized and
    /// nothing is injected.
    /// </summary>
    public async ValueTask<AccessCheck> CheckForwardAsync(ProxyCredential credential, Func<ConnectorAddresses, bool> matches, CancellationToken cancellationToken)
    {
        Connector? first = null;
        foreach (var key in credential.Connectors)
        {
            var (connector, connectorClass) = Find(key);
            if (connector is null)
            {
                return await MissingAsync(key, credential.Token, cancellationToken);
            }

            first ??= connector;
            if (matches(ConnectorAddresses.Of(connector)))
            {
                return await AuthorizeAsync(key, connector, connector, connectorClass, credential.Token.AsMemory(), credential.TokenHash, cancellationToken);
            }
        }

        return await AuthorizeAsync(credential.Connectors[0], first!, null, null, credential.Token.AsMemory(), credential.TokenHash, cancellationToken);
    }

    /// <summary>
    /// Forward mode, allowed but matching no address: may the request go on without any credential? Only when it
    /// stays on the origin of a listed Connector (another path of the same tool), or when blind tunnels are allowed;
    /// otherwise the proxy would relay authorized clients to any host, as a CONNECT to a foreign host is refused.
    /// </summary>
    public bool MayPassThrough(ProxyCredential credential, Uri target)
    {
        if (options.Value.AllowBlindTunnels)
        {
            return true;
        }

        foreach (var key in credential.Connectors)
        {
            if (Find(key).Connector is { } connector && ConnectorAddresses.Of(connector).MatchesOrigin(target))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Only authenticates <paramref name="token"/> (TokenReview, default audience): the registry API version check
    /// <c>/v2/</c> names no Connector, so there is nothing to authorize.
    /// </summary>
    public ValueTask<TokenIdentity> AuthenticateAsync(string token, CancellationToken cancellationToken) =>
        reviewer.AuthenticateAsync(token, AccessReviewer.Hash(token), [], cancellationToken);

    /// <summary>The Connector's class, when it exists.</summary>
    public ConnectorClass? ClassOf(Connector connector) =>
        connector.Spec.ConnectorClassName is { Length: > 0 } name ? directory.GetClass(name) : null;

    /// <summary>
    /// The Connector as its class completes it (<see cref="EffectiveSpec"/>): an address extension the Connector
    /// omits but the class defaults (github's <c>api</c>) is an allowed address, and the credential goes there too.
    /// The class comes along, so the rest of the request reads the same class object without looking it up again.
    /// </summary>
    public (Connector? Connector, ConnectorClass? Class) Find(ConnectorKey key)
    {
        if (directory.GetConnector(key.Namespace, key.Name) is not { } connector)
        {
            return (null, null);
        }

        var connectorClass = ClassOf(connector);
        return (EffectiveSpec.Of(connector, connectorClass), connectorClass);
    }

    private bool ProxyPermissionsEnabled =>
        FeatureFlags.IsEnabled(directory.GetConfigMap(options.Value.ComponentsNamespace, WellKnown.ConfigMapName), FeatureFlags.ProxyPermissions);

    private async ValueTask<AccessCheck> AuthorizeAsync(
        ConnectorKey key, Connector checkedConnector, Connector? inject, ConnectorClass? injectClass, ReadOnlyMemory<char> token, string hash,
        CancellationToken cancellationToken)
    {
        var decision = await reviewer.AuthorizeAsync(token, hash, key.Namespace, key.Name, checkedConnector.Status, ProxyPermissionsEnabled, cancellationToken);
        var outcome = decision.Outcome switch
        {
            AccessOutcome.Allowed => AccessCheckOutcome.Allowed,
            AccessOutcome.Unauthenticated => AccessCheckOutcome.Unauthenticated,
            AccessOutcome.Forbidden => AccessCheckOutcome.Forbidden,
            _ => AccessCheckOutcome.Unavailable,
        };
        var allowed = outcome == AccessCheckOutcome.Allowed;
        return new AccessCheck(outcome, key, allowed ? inject : null, decision.Subject, decision.Reason) { Class = allowed ? injectClass : null };
    }

    private async ValueTask<AccessCheck> MissingAsync(ConnectorKey key, string token, CancellationToken cancellationToken)
    {
        var identity = await reviewer.AuthenticateAsync(token, AccessReviewer.Hash(token), AccessReviewer.ConnectorAudiences(key.Namespace, key.Name, null), cancellationToken);
        if (identity.Unavailable)
        {
            return new AccessCheck(AccessCheckOutcome.Unavailable, key, null, null, "token review failed: " + identity.Error);
        }

        return identity.User is { } user
            ? new AccessCheck(AccessCheckOutcome.NotFound, key, null, user.Username, $"connector \"{key}\" not found")
            : new AccessCheck(AccessCheckOutcome.Unauthenticated, key, null, null, "the token is not valid");
    }
}
