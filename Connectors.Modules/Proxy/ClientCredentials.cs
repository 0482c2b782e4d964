using Connectors.Modules.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Reads the client's ServiceAccount token. Reverse mode: <c>Authorization: Basic</c> (password = token, the user
/// is ignored and may be empty), <c>Bearer</c>, or a header the class names (<c>Private-Token</c>). Forward mode:
/// <c>Proxy-Authorization: Basic base64("&lt;ns&gt;/&lt;name&gt;[,&lt;ns2&gt;/&lt;name2&gt;...]:&lt;token&gt;")</c>.
/// </summary>
internal static class ClientCredentials
{
    /// <summary>The token of a reverse-mode request, or null when it carries none.</summary>
    public static string? ReadReverseToken(IHeaderDictionary headers, IReadOnlyList<string>? extractorHeaders) =>
        ReadReverseTokenInPlace(headers, extractorHeaders) is { IsEmpty: false } token ? token.ToString() : null;

    /// <summary>
    /// The token of a reverse-mode request, empty when it carries none: a bearer token or a header's is a slice of the
    /// header's own string (a ServiceAccount token is ~1 KB: no copy of it per request).
    /// </summary>
    public static ReadOnlyMemory<char> ReadReverseTokenInPlace(IHeaderDictionary headers, IReadOnlyList<string>? extractorHeaders) =>
        ReadReverseTokenInPlace(headers, extractorHeaders, out _);

    /// <summary>
    /// As <see cref="ReadReverseTokenInPlace(IHeaderDictionary, IReadOnlyList{string}?)"/>; <paramref name="decodedFrom"/> is the
    /// <c>Authorization</c> string a Basic password was decoded from (the token is then a new string, not a slice of it).
    /// </summary>
    public static ReadOnlyMemory<char> ReadReverseTokenInPlace(IHeaderDictionary headers, IReadOnlyList<string>? extractorHeaders, out string? decodedFrom)
    {
        decodedFrom = null;
        var authorization = headers.Authorization;
        if (!StringValues.IsNullOrEmpty(authorization))
        {
            var value = authorization.ToString();
            if (TryScheme(value, "Bearer", out var bearer))
            {
                return bearer;
            }

            if (TryScheme(value, "Basic", out var basic) && BasicCredentials.TryDecode(basic.Span, out _, out var password))
            {
                decodedFrom = value;
                return password.AsMemory();
            }
        }

        if (extractorHeaders is not null)
        {
            foreach (var name in extractorHeaders)
            {
                var extracted = headers[name];
                if (!StringValues.IsNullOrEmpty(extracted))
                {
                    return extracted.ToString().AsMemory().Trim();
                }
            }
        }

        return ReadOnlyMemory<char>.Empty;
    }

    /// <summary>Parses a <c>Proxy-Authorization</c> value; null with an error message when it is absent or malformed.</summary>
    public static (ProxyCredential? Credential, string? Error) ReadProxyCredential(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return (null, null);
        }

        if (!TryScheme(value, "Basic", out var basic) || !BasicCredentials.TryDecode(basic.Span, out var user, out var token) || token.Length == 0)
        {
            return (null, "Proxy-Authorization must be Basic base64(\"<namespace>/<connector>[,...]:<token>\")");
        }

        var connectors = new List<ConnectorKey>();
        foreach (var item in user.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Clients percent-decode URL userinfo (ns%2Fname) before encoding it; accept the raw form too.
            var entry = item.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == entry.Length - 1 || entry.IndexOf('/', slash + 1) >= 0)
            {
                return (null, $"proxy user \"{entry}\" is not <namespace>/<connector>");
            }

            connectors.Add(new ConnectorKey(entry[..slash], entry[(slash + 1)..]));
        }

        return connectors.Count == 0
            ? (null, "the proxy user names no Connector: want <namespace>/<connector>[,...]")
            : (new ProxyCredential(connectors, token), null);
    }

    private static bool TryScheme(string value, string scheme, out ReadOnlyMemory<char> parameter)
    {
        var memory = value.AsMemory().Trim();
        var span = memory.Span;
        if (span.Length > scheme.Length && span.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && span[scheme.Length] == ' ')
        {
            parameter = memory[(scheme.Length + 1)..].Trim();
            return true;
        }

        parameter = default;
        return false;
    }
}
