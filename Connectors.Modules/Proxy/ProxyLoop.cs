using Microsoft.Extensions.Primitives;

namespace Connectors.Modules.Proxy;

/// <summary>
/// The forwarding-loop guard (RFC 9110 7.6.3, <c>Via</c>): every request the proxy forwards carries
/// <c>Via: 1.1 connectors-proxy</c> after whatever <c>Via</c> it came with, and a request that has already passed
/// <see cref="MaxHops"/> Connectors proxies is refused with 508 before anything else is looked at. Without it a
/// Connector whose address leads back to the proxy (its Service, a <c>c-&lt;name&gt;.&lt;ns&gt;.svc</c> host, its path
/// form) and whose Secret holds a token the proxy accepts makes one request forward to the proxy without end, a new
/// connection each pass. A chain through a few installations (a Connector whose tool is another cluster's proxy) passes.
/// </summary>
internal static class ProxyLoop
{
    /// <summary>The <c>received-by</c> pseudonym this proxy writes.</summary>
    public const string Pseudonym = "connectors-proxy";

    /// <summary>The entry appended to every forwarded request (clients reach the proxy over HTTP/1.1 only).</summary>
    public const string ViaEntry = "1.1 " + Pseudonym;

    /// <summary>How many Connectors proxies a request may already have passed.</summary>
    public const int MaxHops = 3;

    /// <summary>Whether a request's <c>Via</c> values already hold <see cref="MaxHops"/> entries of this proxy.</summary>
    public static bool Exceeded(StringValues via)
    {
        if (via.Count == 0)
        {
            return false;
        }

        var hops = 0;
        foreach (var value in via)
        {
            // Each entry is "received-protocol RWS received-by [RWS comment]", entries separated by commas.
            foreach (var entry in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = entry.Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && parts[1].Equals(Pseudonym, StringComparison.OrdinalIgnoreCase) && ++hops >= MaxHops)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
