namespace Connectors.Modules.Registry;

/// <summary>
/// The <c>path</c> resolver of registry mode: an image <c>registry.example.com/test/abc:v1</c> is used as
/// <c>&lt;proxy&gt;/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;/test/abc:v1</c>, so the client calls
/// <c>/v2/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;/test/abc/...</c>, which is <c>/v2/test/abc/...</c> at the
/// registry. The mapping is textual on the raw path: the repository part is passed on byte for byte.
/// </summary>
internal static class RegistryPathResolver
{
    private const string Prefix = "/v2/namespaces/";

    /// <summary>
    /// Reads <c>/v2/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;/&lt;rest&gt;[?query]</c>: the Connector and the
    /// upstream target <c>/v2/&lt;rest&gt;[?query]</c>. False when the path is not of that form or a name is not a
    /// Kubernetes name.
    /// </summary>
    public static bool TryResolve(string rawPathAndQuery, out string ns, out string name, out string upstreamPathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(rawPathAndQuery);
        ns = name = upstreamPathAndQuery = string.Empty;
        if (!rawPathAndQuery.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var query = rawPathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? rawPathAndQuery : rawPathAndQuery[..query];
        var parts = path[Prefix.Length..].Split('/', 4);
        if (parts.Length < 3 || parts[1] != "connectors" || !IsKubeName(parts[0]) || !IsKubeName(parts[2]))
        {
            return false;
        }

        ns = parts[0];
        name = parts[2];
        upstreamPathAndQuery = "/v2/" + (parts.Length == 4 ? parts[3] : string.Empty) + (query < 0 ? string.Empty : rawPathAndQuery[query..]);
        return true;
    }

    /// <summary>The client-side form of <c>/v2/</c> for a Connector: <c>/v2/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;/</c>.</summary>
    public static string ClientPrefix(string ns, string name) => $"{Prefix}{ns}/connectors/{name}/";

    /// <summary>
    /// A client-side repository name (a mount's <c>from</c>) back to the registry's: the rest after the Connector's own
    /// prefix, or null when it names another Connector or none.
    /// </summary>
    public static string? UpstreamRepository(string ns, string name, string clientRepository)
    {
        ArgumentNullException.ThrowIfNull(clientRepository);
        var prefix = $"namespaces/{ns}/connectors/{name}/";
        return clientRepository.StartsWith(prefix, StringComparison.Ordinal) && clientRepository.Length > prefix.Length ? clientRepository[prefix.Length..] : null;
    }

    // RFC 1123 label / subdomain characters; namespaces and Connector names are both.
    private static bool IsKubeName(string value) =>
        value.Length is > 0 and <= 253 && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.');
}
