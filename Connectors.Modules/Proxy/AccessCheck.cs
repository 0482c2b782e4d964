using Connectors.Modules.Model;

namespace Connectors.Modules.Proxy;

/// <summary>What the proxy decided about a request's client.</summary>
internal enum AccessCheckOutcome
{
    Allowed,
    Unauthenticated,
    Forbidden,
    NotFound,
    Unavailable,
}

/// <summary>
/// The result of authenticating and authorizing a request. <see cref="Connector"/> is the Connector whose
/// credential may be injected (forward mode: null when the target matches none of the listed Connectors);
/// <see cref="Authorized"/> is the Connector the check ran against (for logs and metrics).
/// </summary>
internal sealed record AccessCheck(AccessCheckOutcome Outcome, ConnectorKey? Authorized, Connector? Connector, string? Subject, string? Message)
{
    public bool IsAllowed => Outcome == AccessCheckOutcome.Allowed;

    /// <summary>
    /// The class of <see cref="Connector"/> (null without one), the object its class defaults were completed from:
    /// read by the rest of the request (registry mode, auth type) instead of being looked up again.
    /// </summary>
    public ConnectorClass? Class { get; init; }
}
