namespace Connectors.Modules.Registry;

/// <summary>
/// A distribution API path (OCI distribution spec, "Endpoints") read into the repository name and the endpoint. A name
/// may itself hold a segment called <c>manifests</c> or <c>blobs</c>: the name is the longest prefix after which the
/// rest is a valid endpoint (as distribution's router matches, its name pattern being greedy).
/// </summary>
internal readonly record struct RegistryPath(RegistryEndpoint Endpoint, string Repository)
{
    /// <summary>Reads the path part of <paramref name="pathAndQuery"/> (raw, not decoded); false when it is no distribution API path.</summary>
    public static bool TryParse(string pathAndQuery, out RegistryPath path)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        path = default;
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var raw = query < 0 ? pathAndQuery : pathAndQuery[..query];
        if (raw is "/v2" or "/v2/")
        {
            path = new RegistryPath(RegistryEndpoint.Base, string.Empty);
            return true;
        }

        if (!raw.StartsWith("/v2/", StringComparison.Ordinal))
        {
            return false;
        }

        if (raw is "/v2/_catalog")
        {
            path = new RegistryPath(RegistryEndpoint.Catalog, string.Empty);
            return true;
        }

        var segments = raw[4..].Split('/');
        for (var i = segments.Length - 2; i >= 1; i--)
        {
            if (EndpointAt(segments, i) is { } endpoint && IsName(segments, i))
            {
                path = new RegistryPath(endpoint, string.Join('/', segments, 0, i));
                return true;
            }
        }

        return false;
    }

    /// <summary>The endpoint when <paramref name="segments"/>[<paramref name="at"/>..] is one, else null.</summary>
    private static RegistryEndpoint? EndpointAt(string[] segments, int at)
    {
        var rest = segments.Length - at - 1;
        return segments[at] switch
        {
            "manifests" when rest == 1 && segments[at + 1].Length > 0 => RegistryEndpoint.Manifest,
            "blobs" when rest == 1 && segments[at + 1] == "uploads" => RegistryEndpoint.Upload,
            "blobs" when rest == 2 && segments[at + 1] == "uploads" => RegistryEndpoint.Upload,
            "blobs" when rest == 1 && segments[at + 1].Length > 0 => RegistryEndpoint.Blob,
            "tags" when rest == 1 && segments[at + 1] == "list" => RegistryEndpoint.Tags,
            "referrers" when rest == 1 && segments[at + 1].Length > 0 => RegistryEndpoint.Referrers,
            _ => null,
        };
    }

    /// <summary>Whether the first <paramref name="count"/> segments form a repository name (non-empty path components).</summary>
    private static bool IsName(string[] segments, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (segments[i].Length == 0 || segments[i] is "." or "..")
            {
                return false;
            }
        }

        return true;
    }
}
