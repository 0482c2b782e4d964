using System.Net.Http.Headers;

namespace Connectors.Modules.Probes;

/// <summary>
/// The redirect rules of a probe. Redirects are followed here rather than by the handler, so that the probe's
/// rendered headers (which may hold a PAT or a password) only ever go to the origin the probe was built for:
/// scheme, host and port of its URL. A hop to any other origin, an https-to-http downgrade on the same host
/// included, is not followed at all.
/// </summary>
internal static class ProbeRedirect
{
    /// <summary>The codes Go's client follows (RFC 9110 §15.4); 300 and 304 are answers, not redirects.</summary>
    public static bool IsRedirect(int statusCode) => statusCode is 301 or 302 or 303 or 307 or 308;

    /// <summary>
    /// The next request after <paramref name="statusCode"/> from <paramref name="current"/>, or null when the answer
    /// has no usable <c>Location</c> (then the 3xx itself is the probe's answer).
    /// </summary>
    public static ProbeRequest? Next(ProbeRequest current, int statusCode, HttpResponseHeaders headers)
    {
        // The raw value: the typed Location header would have been parsed (and escaped) by .NET's own rules first.
        if (!headers.NonValidated.TryGetValues("Location", out var values) || values.FirstOrDefault()?.Trim() is not { Length: > 0 } location
            || !Uri.TryCreate(current.Url, location, out var target) || !target.IsAbsoluteUri)
        {
            return null;
        }

        // Go's client: 301, 302 and 303 turn a POST into a GET; 307 and 308 keep the method. A Host header set by the
        // probe goes along only when the Location is relative (as in Go's redirect handling).
        var method = statusCode is 301 or 302 or 303 ? "GET" : current.Method;
        var relative = !Uri.TryCreate(location, UriKind.Absolute, out var absolute) || absolute.Scheme == Uri.UriSchemeFile;
        var headersNext = relative
            ? current.Headers
            : current.Headers.Where(h => !string.Equals(h.Key, "Host", StringComparison.OrdinalIgnoreCase)).ToList();
        return current with { Method = method, Url = target, Headers = headersNext, Redirected = true };
    }

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> have the same scheme, host and port (RFC 6454).</summary>
    public static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    /// <summary><c>scheme://host:port</c> of <paramref name="url"/>: no user info, path or query, so it may be shown.</summary>
    public static string Origin(Uri url) =>
        url.IsAbsoluteUri && url.Scheme is "http" or "https"
            ? $"{url.Scheme}://{(url.HostNameType == UriHostNameType.IPv6 ? "[" + url.IdnHost + "]" : url.IdnHost)}:{url.Port}"
            : url.Scheme + ":";
}
