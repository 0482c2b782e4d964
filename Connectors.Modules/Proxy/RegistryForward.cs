using Connectors.Modules.Registry;

namespace Connectors.Modules.Proxy;

/// <summary>
/// One registry-mode forward, for <see cref="ForwardTransformer"/>: the <c>Authorization</c> to send (null: none),
/// how upstream <c>Location</c>s are checked and mapped (not mapped in forward mode, where the client talks to the registry's own address),
/// and whether a 401 may be answered and the request sent again (only for requests without a body, on the first try):
/// then the 401 is not copied to the client, its challenges are kept in <see cref="Challenges"/>.
/// </summary>
internal sealed class RegistryForward(string? authorization, RegistryLocation location, bool mayRetry)
{
    public string? Authorization => authorization;

    public RegistryLocation Location => location;

    public bool MayRetry => mayRetry;

    /// <summary>Set when the registry answered 401 to a request that may be retried; nothing of that answer reached the client.</summary>
    public IReadOnlyList<AuthChallenge>? Challenges { get; set; }

    /// <summary>The second and last try, with <paramref name="again"/>.</summary>
    public RegistryForward Retry(string? again) => new(again, location, false);
}
