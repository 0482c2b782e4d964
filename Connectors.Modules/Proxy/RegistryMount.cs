using Connectors.Modules.Registry;

namespace Connectors.Modules.Proxy;

/// <summary>
/// A cross-repository mount (<c>POST .../blobs/uploads/?mount=&lt;digest&gt;&amp;from=&lt;repository&gt;</c>) in the
/// registry path form: the client names <c>from</c> as it sees it. A repository of the same Connector
/// (<c>namespaces/&lt;ns&gt;/connectors/&lt;name&gt;/x</c>) becomes the registry's <c>x</c>. Any other <c>from</c> (another
/// Connector, which may be another registry and whose access this request was not checked for, or a name outside
/// every Connector) loses <c>mount</c> and <c>from</c>: the registry then opens a plain upload session (202), which
/// the distribution spec has clients fall back to, so the push goes on and nothing of another Connector is touched.
/// </summary>
internal static class RegistryMount
{
    public static string Map(string upstreamPathAndQuery, string ns, string name)
    {
        var question = upstreamPathAndQuery.IndexOf('?', StringComparison.Ordinal);
        if (question < 0 || !upstreamPathAndQuery.Contains("from=", StringComparison.Ordinal))
        {
            return upstreamPathAndQuery;
        }

        var parameters = upstreamPathAndQuery[(question + 1)..].Split('&');
        string? mapped = null;
        var foreign = false;
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].StartsWith("from=", StringComparison.Ordinal))
            {
                var from = Uri.UnescapeDataString(parameters[i][5..].Replace('+', ' '));
                mapped = RegistryPathResolver.UpstreamRepository(ns, name, from);
                foreign = mapped is null;
                parameters[i] = mapped is null ? string.Empty : "from=" + Uri.EscapeDataString(mapped).Replace("%2F", "/", StringComparison.Ordinal);
            }
        }

        var kept = parameters.Where(p => p.Length > 0 && !(foreign && p.StartsWith("mount=", StringComparison.Ordinal)));
        var query = string.Join('&', kept);
        return upstreamPathAndQuery[..question] + (query.Length == 0 ? string.Empty : "?" + query);
    }

    /// <summary>The registry-side <c>from</c> of a mount request, for the token's scopes; null when there is none.</summary>
    public static string? From(string pathAndQuery)
    {
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return null;
        }

        string? from = null;
        var mount = false;
        foreach (var parameter in pathAndQuery[(question + 1)..].Split('&'))
        {
            mount |= parameter.StartsWith("mount=", StringComparison.Ordinal);
            if (parameter.StartsWith("from=", StringComparison.Ordinal))
            {
                from = Uri.UnescapeDataString(parameter[5..]);
            }
        }

        return mount ? from : null;
    }
}
