namespace Connectors.Modules.Csi;

/// <summary>Reads a CSI endpoint: <c>unix:///abs/path</c> (the form kubelet registers), <c>unix:/abs/path</c> or a bare absolute path.</summary>
public static class CsiEndpoint
{
    /// <summary>The socket's absolute path.</summary>
    /// <exception cref="FormatException">Not a unix socket endpoint with an absolute path.</exception>
    public static string ParseUnixPath(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var path = endpoint switch
        {
            _ when endpoint.StartsWith("unix://", StringComparison.Ordinal) => endpoint["unix://".Length..],
            _ when endpoint.StartsWith("unix:", StringComparison.Ordinal) => endpoint["unix:".Length..],
            _ => endpoint,
        };
        if (path.Length == 0 || path[0] != '/' || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new FormatException($"invalid CSI endpoint \"{endpoint}\": want unix:///path/to/csi.sock");
        }

        return path;
    }
}
