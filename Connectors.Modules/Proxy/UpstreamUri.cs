namespace Connectors.Modules.Proxy;

/// <summary>
/// Builds the URL a request is forwarded to so that its path and query are sent exactly as the client wrote them and
/// <see cref="PathRule"/> checked them: <see cref="Uri"/> would otherwise resolve dot-segments, turn backslashes into
/// slashes and unescape characters after the check.
/// </summary>
internal static class UpstreamUri
{
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary><paramref name="origin"/> (<c>scheme://authority[/prefix]</c>, already canonical) + the raw path and query.</summary>
    public static Uri? Create(string origin, string rawPathAndQuery) =>
        Uri.TryCreate(origin + rawPathAndQuery, in Verbatim, out var uri) ? uri : null;

    /// <summary>The path of a raw path-and-query, without the query.</summary>
    public static ReadOnlySpan<char> PathOf(ReadOnlySpan<char> pathAndQuery)
    {
        var query = pathAndQuery.IndexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery[..query];
    }

    /// <summary>
    /// An absolute-form target (<c>scheme://authority/path?query</c>) cut where it is written: the authority up to the
    /// first <c>/</c> or <c>?</c>, and the path and query from there ("" when it has none).
    /// </summary>
    public static (string Authority, string PathAndQuery) SplitAbsolute(string absolute)
    {
        var scheme = absolute.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return (string.Empty, string.Empty);
        }

        var rest = absolute.AsSpan(scheme + 3);
        var end = rest.IndexOfAny('/', '?');
        return end < 0 ? (rest.ToString(), string.Empty) : (rest[..end].ToString(), rest[end..].ToString());
    }
}
