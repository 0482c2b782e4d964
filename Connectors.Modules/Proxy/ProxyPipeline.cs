using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Serves every HTTP request the listener parses (plain, or decrypted inside an intercepted CONNECT tunnel):
/// route -> client token -> access check -> upstream URL -> credential injection -> stream both ways -> access log.
/// </summary>
internal sealed partial class ProxyPipeline(
    ProxyAccess access,
    UpstreamSender sender,
    RegistryRoutes registry,
    ProxyMetrics metrics,
    AccessLog accessLog,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<ProxyPipeline>();

    public async Task HandleAsync(HttpContext context)
    {
        var started = timeProvider.GetTimestamp();
        var cancellationToken = context.RequestAborted;
        using var activity = ProxyTracing.StartRequest(context);
        Exchange exchange;
        try
        {
            exchange = await ServeAsync(context, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && cancellationToken.IsCancellationRequested)
        {
            // The client went away; 499 in the log as nginx writes it.
            exchange = Exchange.Refused(null, null, 499, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            Log.UpstreamBroke(_logger, context.Request.Method, context.Request.Host.Value, e.Message);
            context.Abort();
            exchange = Exchange.Refused(null, null, StatusCodes.Status502BadGateway, null);
        }

        var elapsed = timeProvider.GetElapsedTime(started);
        ProxyTracing.Finish(activity, exchange);
        metrics.Record(exchange, elapsed);
        accessLog.Record(new AccessEntry(exchange.Connector, exchange.Subject ?? "-", context.Request.Method, context.Request.Host.Value ?? "-",
            context.Request.Path.Value ?? "/", exchange.Result.Status, exchange.Result.BytesIn, exchange.Result.BytesOut, elapsed.TotalMilliseconds));
    }

    // Not async, nor is the reverse route's usual path: each layer that awaits the forward would be one more state
    // machine allocated and resumed per request. Exceptions thrown here reach HandleAsync's handlers all the same.
    private Task<Exchange> ServeAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (HttpMethods.IsConnect(context.Request.Method))
        {
            return RefuseAsync(context, null, null, StatusCodes.Status400BadRequest, "CONNECT must be the first request on a connection", null, cancellationToken);
        }

        if (EchoesRequest(context.Request.Method))
        {
            // TRACE (RFC 9110 9.3.8) and TRACK send the request back as the body: with a credential injected, the
            // workload would read it. Refused in every mode, before any credential is looked at.
            return RefuseAsync(context, null, null, StatusCodes.Status405MethodNotAllowed, $"{context.Request.Method} is not allowed through the proxy", null, cancellationToken);
        }

        if (ProxyLoop.Exceeded(context.Request.Headers.Via))
        {
            return RefuseAsync(context, null, null, StatusCodes.Status508LoopDetected,
                $"forwarding loop: the request has already passed {ProxyLoop.MaxHops} Connectors proxies; a Connector's address must not lead back to the proxy", null, cancellationToken);
        }

        var tunnel = context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(TunnelTarget.ItemKey, out var item) == true ? item as TunnelTarget : null;
        var route = RequestRouter.Route(RequestRouter.RawTarget(context), context.Request.Headers.Host.ToString(), context.Request.Scheme, tunnel);
        return route.Kind switch
        {
            RouteKind.Reverse => ReverseAsync(context, route, cancellationToken),
            RouteKind.Forward => ForwardAsync(context, route, cancellationToken),
            RouteKind.Registry => registry.ConnectorAsync(context, route, cancellationToken),
            RouteKind.RegistryBase => registry.BaseAsync(context, cancellationToken),
            _ => RefuseAsync(context, null, null, route.Status, route.Error!, null, cancellationToken),
        };
    }

    private Task<Exchange> ReverseAsync(HttpContext context, ProxyRoute route, CancellationToken cancellationToken)
    {
        // Looked up once: the extractor and the access check read the same Connector and class objects.
        var found = access.Find(route.Connector);
        var extractor = found.Class?.Spec.Proxy?.AuthExtractor?.Headers;
        var token = ClientCredentials.ReadReverseTokenInPlace(context.Request.Headers, extractor, out var decodedFrom);
        if (token.IsEmpty)
        {
            return RefuseAsync(context, route.Connector, null, StatusCodes.Status401Unauthorized,
                "authentication required: send the ServiceAccount token as Authorization: Bearer or as the Basic password", "missing", cancellationToken);
        }

        var hash = TokenHashMemo.HashOfRequest(context, token, decodedFrom);
        if (ProxyTracing.Source.HasListeners())
        {
            return ReviewThenForwardAsync(context, route, found, extractor, token, hash, null, cancellationToken);
        }

        // A cached decision completes at once: then nothing here waits, and the forward's task is the request's.
        var pending = access.CheckReverseAsync(route.Connector, found, token, hash, cancellationToken);
        return pending.IsCompletedSuccessfully
            ? ForwardReverse(context, route, extractor, pending.Result, cancellationToken)
            : ReviewThenForwardAsync(context, route, found, extractor, token, hash, pending, cancellationToken);
    }

    /// <summary>The reverse route when the review is under way (<paramref name="started"/>) or traced (a <c>review</c> span).</summary>
    private async Task<Exchange> ReviewThenForwardAsync(
        HttpContext context, ProxyRoute route, (Model.Connector? Connector, Model.ConnectorClass? Class) found, IReadOnlyList<string>? extractor,
        ReadOnlyMemory<char> token, string hash, ValueTask<AccessCheck>? started, CancellationToken cancellationToken)
    {
        AccessCheck check;
        if (started is { } pending)
        {
            check = await pending;
        }
        else
        {
            using (ProxyTracing.Source.StartActivity("review"))
            {
                check = await access.CheckReverseAsync(route.Connector, found, token, hash, cancellationToken);
            }
        }

        return await ForwardReverse(context, route, extractor, check, cancellationToken);
    }

    private Task<Exchange> ForwardReverse(HttpContext context, ProxyRoute route, IReadOnlyList<string>? extractor, AccessCheck check, CancellationToken cancellationToken)
    {
        if (!check.IsAllowed)
        {
            return RefuseAsync(context, route.Connector, check, StatusCodes.Status401Unauthorized, cancellationToken);
        }

        var addresses = ConnectorAddresses.Of(check.Connector!);
        var address = addresses.Primary;
        if (address is null || UpstreamUri.Create(addresses.PrimaryBase!, ReverseRest(addresses.PrimaryPrefix, route.PathAndQuery)) is not { } upstream)
        {
            return RefuseAsync(context, route.Connector, check.Subject, StatusCodes.Status502BadGateway,
                $"connector \"{route.Connector}\" has no valid http(s) address", null, cancellationToken);
        }

        if (route.EncodedSlash && addresses.PrimaryPrefix.Length > 0)
        {
            // Under a path prefix a tool that decodes %2F could resolve the path outside the prefix.
            return RefuseAsync(context, route.Connector, check.Subject, StatusCodes.Status400BadRequest,
                $"an encoded slash (%2F) in the path is not allowed for connector \"{route.Connector}\", whose address has a path prefix", null, cancellationToken);
        }

        // A registry's upload Locations are mapped to the client's form of /v2/ (host form: /v2/, path form: under the Connector).
        var registryV2 = Model.ProxyMode.IsRegistry(check.Class) ? route.CookieBase + "/v2/" : null;
        var rewrite = new ReverseRewrite(address, route.ProxyBase!, route.CookieBase);
        return ProxyTracing.Source.HasListeners()
            ? SendTracedAsync(context, route.Connector, check, upstream, addresses.PrimaryBase!, extractor, rewrite, registryV2, cancellationToken)
            : sender.SendAsync(context, route.Connector, check, upstream, addresses.PrimaryBase!, extractor, rewrite, registryV2, cancellationToken);
    }

    /// <summary>The forward inside a <c>forward</c> span (started here, so the caller's current activity stays its own).</summary>
    private async Task<Exchange> SendTracedAsync(
        HttpContext context, ConnectorKey key, AccessCheck check, Uri upstream, string destinationPrefix, IReadOnlyList<string>? strip, ReverseRewrite? rewrite,
        string? registryV2, CancellationToken cancellationToken)
    {
        using var forward = ProxyTracing.Source.StartActivity("forward", System.Diagnostics.ActivityKind.Client);
        return await sender.SendAsync(context, key, check, upstream, destinationPrefix, strip, rewrite, registryV2, cancellationToken);
    }

    private async Task<Exchange> ForwardAsync(HttpContext context, ProxyRoute route, CancellationToken cancellationToken)
    {
        var credential = route.Tunnel?.Credential;
        if (credential is null)
        {
            var (parsed, error) = ClientCredentials.ReadProxyCredential(context.Request.Headers.ProxyAuthorization.ToString());
            if (parsed is null)
            {
                return await RefuseAsync(context, null, null, StatusCodes.Status407ProxyAuthenticationRequired,
                    error ?? "proxy authentication required: <namespace>/<connector>:<token>", "missing", cancellationToken);
            }

            credential = parsed;
        }

        var target = route.Target!;
        AccessCheck check;
        using (ProxyTracing.Source.StartActivity("review"))
        {
            check = await access.CheckForwardAsync(credential, a => a.Matches(target), cancellationToken);
        }

        if (!check.IsAllowed)
        {
            return await RefuseAsync(context, check.Authorized, check, StatusCodes.Status407ProxyAuthenticationRequired, cancellationToken);
        }

        if (route.EncodedSlash && check.Connector is { } matched && ConnectorAddresses.Of(matched).MatchesUnderPrefix(target))
        {
            // The same refusal as in reverse mode, before the credential is added.
            return await RefuseAsync(context, check.Authorized, check.Subject, StatusCodes.Status400BadRequest,
                "an encoded slash (%2F) in the path is not allowed under an address with a path prefix", null, cancellationToken);
        }

        if (check.Connector is null && route.Tunnel is null && !access.MayPassThrough(credential, target))
        {
            return await RefuseAsync(context, check.Authorized, check.Subject, StatusCodes.Status403Forbidden,
                $"request to {target.Scheme}://{target.Authority} is not allowed: it matches no address of connector(s) {credential}", null, cancellationToken);
        }

        using var forward = ProxyTracing.Source.StartActivity("forward", System.Diagnostics.ActivityKind.Client);
        return await sender.SendAsync(context, check.Authorized!.Value, check, target, target.GetLeftPart(UriPartial.Authority), null, null, null, cancellationToken);
    }

    private static bool EchoesRequest(string method) =>
        HttpMethods.IsTrace(method) || method.Equals("TRACK", StringComparison.OrdinalIgnoreCase);

    /// <summary>The rest of the request-target after the Connector's address; a root address gets a leading slash.</summary>
    private static string ReverseRest(string addressPrefix, string pathAndQuery) =>
        pathAndQuery.StartsWith('/') || addressPrefix.Length > 0 ? pathAndQuery : "/" + pathAndQuery;

    internal static Task<Exchange> RefuseAsync(HttpContext context, ConnectorKey? key, AccessCheck check, int unauthenticatedStatus, CancellationToken cancellationToken)
    {
        var (status, failure) = check.Outcome switch
        {
            AccessCheckOutcome.Unauthenticated => (unauthenticatedStatus, "unauthenticated"),
            AccessCheckOutcome.Forbidden => (StatusCodes.Status403Forbidden, "forbidden"),
            AccessCheckOutcome.NotFound => (StatusCodes.Status404NotFound, (string?)null),
            _ => (StatusCodes.Status503ServiceUnavailable, "unavailable"),
        };
        return RefuseAsync(context, key, check.Subject, status, check.Message ?? "access denied", failure, cancellationToken);
    }

    internal static async Task<Exchange> RefuseAsync(
        HttpContext context, ConnectorKey? key, string? subject, int status, string message, string? authFailure, CancellationToken cancellationToken)
    {
        await ProxyResponses.WriteAsync(context, status, message, cancellationToken);
        return Exchange.Refused(key, subject, status, authFailure);
    }
}
