using Connectors.Modules.Credentials;
using Connectors.Modules.Model;
using Connectors.Modules.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Connectors.Modules.Proxy;

/// <summary>
/// What changes between the client's exchange and the tool's, for one request (YARP's <see cref="HttpTransformer"/>):
/// YARP's base copies the headers minus its hop-by-hop list; this then drops <c>Host</c> (the tool gets its own),
/// every client credential header and the token header the class names, and the fields the <c>Connection</c> header
/// lists (RFC 9110 7.6.1, which YARP does not); appends its <c>Via</c> entry (<see cref="ProxyLoop"/>); sets the
/// request URI to the checked raw target verbatim (the path rule's byte-exact promise); and injects the Connector's credential. On the way back, reverse mode rewrites
/// <c>Location</c> and <c>Set-Cookie</c> (<see cref="ReverseRewrite"/>). In registry mode (<see cref="RegistryForward"/>)
/// the registry's <c>Authorization</c> is set instead, a 401 is held back for one more try when allowed, and no
/// registry challenge (which names its token service) ever reaches the client: a refusal left after that is a 403.
/// </summary>
internal sealed class ForwardTransformer(
    ConnectorKey key, Uri upstream, IReadOnlyList<string>? strip, ReverseRewrite? rewrite, CredentialInjection? injection, Secret? secret, AuthType? authType,
    RegistryForward? registry = null, IHttpResponseBodyFeature? directBody = null)
    : HttpTransformer
{
    /// <summary>Set when the credential could not be put on the request: the client was answered 502, nothing was sent.</summary>
    public InjectionResult? Refused { get; private set; }

    /// <summary>
    /// Set when the registry's answer carried a <c>Location</c> the client must not be sent to (<see cref="RegistryLocation"/>):
    /// nothing of the answer was copied; the reason names no path or query.
    /// </summary>
    public string? LocationRefused { get; private set; }

    /// <summary>
    /// Set when the response body was copied by <see cref="DirectBodyCopy"/> (YARP was told to skip its copy): the bytes
    /// handed to the client and how the copy ended.
    /// </summary>
    public DirectCopyResult? Copied { get; private set; }

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var headers = proxyRequest.Headers;
        headers.Host = null;
        headers.Remove(HeaderNames.Authorization);
        if (strip is not null)
        {
            foreach (var name in strip)
            {
                Remove(proxyRequest, name);
            }
        }

        foreach (var value in httpContext.Request.Headers.Connection)
        {
            var position = 0;
            while (NextListed(value, ref position, out var listed))
            {
                Remove(proxyRequest, listed.ToString());
            }
        }

        // After the Connection-listed fields are gone, so a client cannot have it removed (ProxyLoop).
        headers.TryAddWithoutValidation(HeaderNames.Via, ProxyLoop.ViaEntry);

        // The URI is the one the path rule checked, built without canonicalization (UpstreamUri): YARP would otherwise
        // rebuild it from the decoded PathString.
        proxyRequest.RequestUri = upstream;
        ProxyTracing.Propagate(proxyRequest);
        if (registry is not null)
        {
            if (registry.Authorization is { } authorization)
            {
                headers.TryAddWithoutValidation(HeaderNames.Authorization, authorization);
            }

            return;
        }

        if (injection is null)
        {
            return;
        }

        var injected = injection.Inject(proxyRequest, secret, authType);
        if (injected.Outcome is InjectionOutcome.InvalidSecret or InjectionOutcome.Unsupported)
        {
            // A response set here stops YARP from sending the request.
            Refused = injected;
            await ProxyResponses.WriteAsync(httpContext, StatusCodes.Status502BadGateway, $"the credential of connector \"{key}\" cannot be used: {injected.Message}", cancellationToken);
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var unauthorized = registry is not null && proxyResponse?.StatusCode == System.Net.HttpStatusCode.Unauthorized;
        if (unauthorized && registry!.MayRetry
            && proxyResponse!.Headers.NonValidated.TryGetValues(HeaderNames.WWWAuthenticate, out var challenge)
            && AuthChallenge.Parse(challenge) is { Count: > 0 } challenges)
        {
            // Nothing is copied: the sender answers the challenge and forwards once more.
            registry.Challenges = challenges;
            return false;
        }

        if (!await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken))
        {
            return false;
        }

        var headers = httpContext.Response.Headers;
        if (proxyResponse!.Headers.NonValidated.TryGetValues(HeaderNames.Connection, out var connection))
        {
            foreach (var value in connection)
            {
                var position = 0;
                while (NextListed(value, ref position, out var listed))
                {
                    headers.Remove(listed.ToString());
                }
            }
        }

        if (registry is not null)
        {
            return RegistryResponse(httpContext, proxyResponse.StatusCode, unauthorized) && await BodyAsync(httpContext, proxyResponse, cancellationToken);
        }

        if (rewrite is null)
        {
            return await BodyAsync(httpContext, proxyResponse, cancellationToken);
        }

        var location = headers.Location;
        if (!StringValues.IsNullOrEmpty(location))
        {
            headers.Location = rewrite.Rewrite(location.ToString());
        }

        var cookies = headers.SetCookie;
        if (cookies.Count > 0)
        {
            var rewritten = new string[cookies.Count];
            for (var i = 0; i < rewritten.Length; i++)
            {
                rewritten[i] = rewrite.RewriteCookie(cookies[i]!);
            }

            headers.SetCookie = rewritten;
        }

        return await BodyAsync(httpContext, proxyResponse, cancellationToken);
    }

    /// <summary>True: YARP copies the body. False: it was copied here (<see cref="Copied"/>), or failed and the client was aborted.</summary>
    private async ValueTask<bool> BodyAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, CancellationToken cancellationToken)
    {
        if (directBody is null || !DirectBodyCopy.Applies(httpContext, proxyResponse))
        {
            return true;
        }

        Copied = await DirectBodyCopy.CopyAsync(httpContext, directBody, proxyResponse, cancellationToken);
        return false;
    }

    private bool RegistryResponse(HttpContext httpContext, System.Net.HttpStatusCode status, bool unauthorized)
    {
        var headers = httpContext.Response.Headers;
        headers.Remove(HeaderNames.WWWAuthenticate);
        if (unauthorized)
        {
            // The registry refused the Connector's own credential: for the client that is a denial, not a request to
            // authenticate again (its ServiceAccount token was accepted).
            httpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
        }

        var location = headers.Location;
        if (registry!.Location is { } mapping && !StringValues.IsNullOrEmpty(location))
        {
            var (mapped, refusal) = mapping.Map(location.ToString(), (int)status);
            if (refusal is not null)
            {
                // Nothing is copied: the sender answers 502.
                LocationRefused = refusal;
                httpContext.Response.Clear();
                return false;
            }

            headers.Location = mapped;
        }

        return true;
    }

    /// <summary>
    /// The next field name a <c>Connection</c> header value lists besides its options (<c>keep-alive</c>, <c>close</c>,
    /// <c>upgrade</c>, which YARP handles), from <paramref name="position"/> on: those fields are for the one hop and
    /// are not forwarded. Reads the value in place: a typical <c>Connection: keep-alive</c> costs no allocation.
    /// </summary>
    internal static bool NextListed(string? value, ref int position, out ReadOnlySpan<char> field)
    {
        while (value is not null && position < value.Length)
        {
            var rest = value.AsSpan(position);
            var comma = rest.IndexOf(',');
            var token = (comma < 0 ? rest : rest[..comma]).Trim();
            position += comma < 0 ? rest.Length : comma + 1;
            if (token.Length > 0 && !token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
                && !token.Equals("close", StringComparison.OrdinalIgnoreCase) && !token.Equals("upgrade", StringComparison.OrdinalIgnoreCase))
            {
                field = token;
                return true;
            }
        }

        field = default;
        return false;
    }

    private static void Remove(HttpRequestMessage request, string name)
    {
        // NonValidated lookups accept any name; HttpHeaders.Remove throws on a name that is not a valid token.
        if (request.Headers.NonValidated.Contains(name))
        {
            request.Headers.Remove(name);
        }

        if (request.Content?.Headers.NonValidated.Contains(name) == true)
        {
            request.Content.Headers.Remove(name);
        }
    }
}
