using Microsoft.Extensions.Primitives;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Hop-by-hop header rules (RFC 9110 §7.6.1): the connection-specific fields and every field the <c>Connection</c>
/// header lists apply to one hop only and are not forwarded. <c>Proxy-Connection</c> is the legacy field curl sends.
/// </summary>
internal static class HopByHop
{
    private static readonly HashSet<string> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
        "Proxy-Authenticate", "Proxy-Authorization",
    };

    public static bool IsHopByHop(string name) => Fields.Contains(name);

    /// <summary>Whether <paramref name="name"/> is one of the fields a <c>Connection</c> header value lists.</summary>
    public static bool IsListedIn(StringValues connection, string name)
    {
        foreach (var value in connection)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var token in value.AsSpan().Split(','))
            {
                if (value.AsSpan()[token].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether a <c>Connection</c> value carries the <c>upgrade</c> option.</summary>
    public static bool HasUpgrade(StringValues connection) => IsListedIn(connection, "upgrade");

    /// <summary>Whether the value has tokens besides the well-known ones, i.e. whether listed fields must be checked.</summary>
    public static bool ListsExtraFields(StringValues connection)
    {
        foreach (var value in connection)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var token in value.AsSpan().Split(','))
            {
                var field = value.AsSpan()[token].Trim();
                if (field.Length > 0 && !field.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
                    && !field.Equals("close", StringComparison.OrdinalIgnoreCase) && !field.Equals("upgrade", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
