namespace Connectors.Modules.Probes;

/// <summary>
/// Where an HTTP probe goes (reference §2.3): the rendered <c>path</c> (with its query) is appended to the scheme
/// and host of the connector address; the address's own path prefix is ignored. <c>host</c> replaces the
/// address host; an empty <c>scheme</c> means the address scheme when the host is empty or the same, else http.
/// </summary>
internal static class ProbeUrl
{
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary>The probe URL, or an error sentence.</summary>
    public static (Uri? Url, string? Error) Compose(string? address, string? host, string? scheme, string renderedPath)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var baseUri) || baseUri.Host.Length == 0)
        {
            return (null, $"connector address \"{address}\" is not an absolute URL");
        }

        var sameHost = string.IsNullOrEmpty(host)
            || string.Equals(host, baseUri.Host, StringComparison.OrdinalIgnoreCase)
            || string.Equals(host, baseUri.Authority, StringComparison.OrdinalIgnoreCase);
        var authority = sameHost ? baseUri.Authority : host!;
        if (baseUri.HostNameType == UriHostNameType.IPv6 && sameHost)
        {
            authority = baseUri.IsDefaultPort ? $"[{baseUri.DnsSafeHost}]" : $"[{baseUri.DnsSafeHost}]:{baseUri.Port}";
        }

        var effectiveScheme = !string.IsNullOrEmpty(scheme) ? scheme.ToLowerInvariant() : sameHost ? baseUri.Scheme : Uri.UriSchemeHttp;
        if (effectiveScheme is not ("http" or "https"))
        {
            return (null, $"probe scheme \"{scheme}\" is not http or https");
        }

        if (renderedPath.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0 || renderedPath.Contains('\u007f', StringComparison.Ordinal))
        {
            // Go's url.Parse refuses them too ("net/url: invalid control character in URL"). Here the path would reach
            // the request line as written (Verbatim): a line break would end the request and start another.
            return (null, "the probe path holds a control character, which cannot go in a URL");
        }

        var path = renderedPath.StartsWith('/') ? renderedPath : "/" + renderedPath;
        var text = $"{effectiveScheme}://{authority}{path}";
        return Uri.TryCreate(text, Verbatim, out var url)
            ? (url, null)
            : (null, $"probe URL \"{effectiveScheme}://{authority}{path}\" is not valid");
    }

    /// <summary>Go's <c>CanonicalMIMEHeaderKey</c>: <c>x-api-key</c> becomes <c>X-Api-Key</c>; names with other characters stay as written.</summary>
    public static string CanonicalHeaderName(string name)
    {
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-' || "!#$%&'*+.^_`|~".Contains(c))))
        {
            return name;
        }

        var chars = name.ToCharArray();
        var upper = true;
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = upper ? char.ToUpperInvariant(chars[i]) : char.ToLowerInvariant(chars[i]);
            upper = chars[i] == '-';
        }

        return new string(chars);
    }
}
