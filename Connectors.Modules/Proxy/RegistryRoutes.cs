using Connectors.Modules.Model;
using Connectors.Modules.Registry;
using Microsoft.AspNetCore.Http;

namespace Connectors.Modules.Proxy;

/// <summary>
/// The proxy's registry endpoints. <c>/v2/</c>: the API version check registry clients start with; it names no
/// Connector, so a valid ServiceAccount token (TokenReview) is all it takes: 200 <c>{}</c>, otherwise 401 with
/// <c>WWW-Authenticate: Basic realm="connectors"</c>, after which clients send their docker credentials (the token as
/// password). <c>/v2/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;/...</c>: the same authentication and authorization as
/// every Connector path, then the registry's <c>/v2/...</c> with the registry's own authentication.
/// </summary>
internal sealed class RegistryRoutes(ProxyAccess access, UpstreamSender sender)
{
    private const string LoginHint =
        "authentication required: log in to the proxy with the ServiceAccount token as password (any user), e.g. the mounted config.json";

    public async Task<Exchange> BaseAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var token = ClientCredentials.ReadReverseToken(context.Request.Headers, null);
        if (token is null)
        {
            return await ProxyPipeline.RefuseAsync(context, null, null, StatusCodes.Status401Unauthorized, LoginHint, "missing", cancellationToken);
        }

        TokenIdentity identity;
        using (ProxyTracing.Source.StartActivity("review"))
        {
            identity = await access.AuthenticateAsync(token, cancellationToken);
        }

        if (identity.Unavailable)
        {
            return await ProxyPipeline.RefuseAsync(context, null, null, StatusCodes.Status503ServiceUnavailable, "token review failed: " + identity.Error, "unavailable", cancellationToken);
        }

        if (identity.User is not { } user)
        {
            return await ProxyPipeline.RefuseAsync(context, null, null, StatusCodes.Status401Unauthorized, "the token is not valid", "unauthenticated", cancellationToken);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.Headers[DistributionError.ApiVersionHeader] = DistributionError.ApiVersion;
        context.Response.ContentLength = DistributionError.EmptyObject.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(DistributionError.EmptyObject, cancellationToken);
        }

        return new Exchange(null, user.Username, new ForwardResult(StatusCodes.Status200OK, 0, DistributionError.EmptyObject.Length), null);
    }

    public async Task<Exchange> ConnectorAsync(HttpContext context, ProxyRoute route, CancellationToken cancellationToken)
    {
        var key = route.Connector;
        // As the reverse route: the token is a slice of its header (no copy), its hash the connection's memo.
        var token = ClientCredentials.ReadReverseTokenInPlace(context.Request.Headers, null, out var decodedFrom);
        if (token.IsEmpty)
        {
            return await ProxyPipeline.RefuseAsync(context, key, null, StatusCodes.Status401Unauthorized, LoginHint, "missing", cancellationToken);
        }

        var hash = TokenHashMemo.HashOfRequest(context, token, decodedFrom);
        AccessCheck check;
        using (ProxyTracing.Source.StartActivity("review"))
        {
            check = await access.CheckReverseAsync(key, access.Find(key), token, hash, cancellationToken);
        }

        if (!check.IsAllowed)
        {
            return await ProxyPipeline.RefuseAsync(context, key, check, StatusCodes.Status401Unauthorized, cancellationToken);
        }

        if (!ProxyMode.IsRegistry(check.Class))
        {
            return await ProxyPipeline.RefuseAsync(context, key, check.Subject, StatusCodes.Status404NotFound,
                $"connector \"{key}\" is not a container registry: its class has no {WellKnown.ProxyModeAnnotation}: {WellKnown.RegistryProxyMode} annotation", null, cancellationToken);
        }

        // The distribution API lives at the root of the registry's host: the address's origin, whatever its path.
        var origin = ConnectorAddresses.Of(check.Connector!).Primary?.GetLeftPart(UriPartial.Authority);
        if (origin is null || UpstreamUri.Create(origin, RegistryMount.Map(route.PathAndQuery, key.Namespace, key.Name)) is not { } upstream)
        {
            return await ProxyPipeline.RefuseAsync(context, key, check.Subject, StatusCodes.Status502BadGateway,
                $"connector \"{key}\" has no valid http(s) address", null, cancellationToken);
        }

        using var forward = ProxyTracing.Source.StartActivity("forward", System.Diagnostics.ActivityKind.Client);
        return await sender.SendAsync(context, key, check, upstream, origin, null, null, route.ProxyBase, cancellationToken);
    }
}
