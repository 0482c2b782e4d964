using System.Runtime.CompilerServices;
using Connectors.Modules.Model;

namespace Connectors.Modules.Proxy;

/// <summary>
/// The places a Connector's credential may go: <c>spec.address</c> and every <c>spec.addressExtensions</c> value
/// that is an absolute http(s) URL. A target matches an address when scheme, host and port are equal and, if the
/// address has a path prefix, the target path is that prefix or below it.
/// Parsed once per Connector object (the watch cache hands out a new object on every change).
/// </summary>
internal sealed class ConnectorAddresses
{
    private static readonly ConditionalWeakTable<Connector, ConnectorAddresses> Parsed = new();

    // Each address's path prefix, computed once: Uri.AbsolutePath makes a new string on every call.
    private readonly string[] _prefixes;

    private ConnectorAddresses(Uri? primary, IReadOnlyList<Uri> all)
    {
        Primary = primary;
        PrimaryBase = primary?.GetLeftPart(UriPartial.Path).TrimEnd('/');
        PrimaryPrefix = primary is null ? string.Empty : PathPrefix(primary);
        All = all;
        _prefixes = [.. all.Select(PathPrefix)];
    }

    /// <summary><c>spec.address</c>, when it is an absolute http(s) URL.</summary>
    public Uri? Primary { get; }

    /// <summary><see cref="Primary"/> without query and trailing slash: the reverse-mode upstream URL is this + the rest of the request-target.</summary>
    public string? PrimaryBase { get; }

    /// <summary>The path prefix of <see cref="Primary"/> ("" for a root address).</summary>
    public string PrimaryPrefix { get; }

    public IReadOnlyList<Uri> All { get; }

    public static ConnectorAddresses Of(Connector connector) => Parsed.GetValue(connector, Parse);

    /// <summary>Whether a full target URL may receive the credential.</summary>
    public bool Matches(Uri target) => IndexOf(target) >= 0;

    /// <summary>
    /// Whether the address <paramref name="target"/> matches has a path prefix: there an encoded slash (<c>%2F</c>) is
    /// refused, since a tool that decodes it could resolve the path outside the prefix.
    /// </summary>
    public bool MatchesUnderPrefix(Uri target) => IndexOf(target) is var i and >= 0 && _prefixes[i].Length > 0;

    /// <summary>Whether <paramref name="target"/> has the scheme, host and port of one of the addresses, whatever its path.</summary>
    public bool MatchesOrigin(Uri target)
    {
        foreach (var address in All)
        {
            if (SameOrigin(address, target.Scheme, target.Host, target.Port))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a CONNECT authority (always https) is the origin of one of the addresses.</summary>
    public bool MatchesTunnel(string host, int port)
    {
        foreach (var address in All)
        {
            if (SameOrigin(address, Uri.UriSchemeHttps, host, port))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The path prefix of an address without its trailing slash ("" for a root URL).</summary>
    public static string PathPrefix(Uri address) => address.AbsolutePath.TrimEnd('/');

    internal static bool SameOrigin(Uri address, string scheme, string host, int port) =>
        address.Scheme.Equals(scheme, StringComparison.OrdinalIgnoreCase)
        && address.Port == port
        && address.IdnHost.Trim('[', ']').Equals(host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase);

    internal static bool UnderPrefix(Uri address, string path) => UnderPrefix(PathPrefix(address), path);

    /// <summary>Whether <paramref name="path"/> is <paramref name="prefix"/> or below it ("" covers every path).</summary>
    internal static bool UnderPrefix(string prefix, string path) =>
        prefix.Length == 0
        || (path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || path[prefix.Length] == '/'));

    private int IndexOf(Uri target)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (SameOrigin(All[i], target.Scheme, target.Host, target.Port) && UnderPrefix(_prefixes[i], target.AbsolutePath))
            {
                return i;
            }
        }

        return -1;
    }

    private static ConnectorAddresses Parse(Connector connector)
    {
        var all = new List<Uri>();
        var primary = TryHttpUri(connector.Spec.Address);
        if (primary is not null)
        {
            all.Add(primary);
        }

        foreach (var extension in connector.Spec.AddressExtensions ?? [])
        {
            if (TryHttpUri(extension.StringValue) is { } uri)
            {
                all.Add(uri);
            }
        }

        return new ConnectorAddresses(primary, all);
    }

    private static Uri? TryHttpUri(string? text) =>
        Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;
}
