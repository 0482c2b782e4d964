using System.Net;
using Connectors.Modules.Credentials;
using Connectors.Modules.Model;
using Connectors.Modules.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Connectors.Modules.Proxy;

/// <summary>
/// The last step of the pipeline: finds the allowed Connector's Secret (read from the watch cache on every request,
/// so a rotation is used at once) and the upstream connection pool for its CA bundle (plus the cluster-wide CA pool
/// while its flag is on), and forwards through YARP's <see cref="IHttpForwarder"/> with a
/// <see cref="ForwardTransformer"/>. Body bytes are counted by wrapping the client's streams, not copied twice.
/// A Connector whose class is in registry mode gets the registry's own authentication on its distribution API
/// requests (<see cref="RegistryUpstreamAuth"/>), in every route; a bodyless request refused with a challenge is
/// answered and sent once more.
/// </summary>
internal sealed partial class UpstreamSender(
    IHttpForwarder forwarder,
    IConnectorDirectory directory,
    CredentialInjection injection,
    UpstreamClients clients,
    ProxyCaPool caPool,
    RegistryUpstreamAuth registryAuth,
    ILogger<UpstreamSender> logger)
{
    // HTTP/2 when the tool offers it over TLS (ALPN), HTTP/1.1 otherwise (cleartext never tries h2c). No activity
    // timeout: a watch or a log follow may stay silent for as long as the client waits.
    private static readonly ForwarderRequestConfig Negotiated = new()
    {
        ActivityTimeout = Timeout.InfiniteTimeSpan,
        Version = HttpVersion.Version20,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    // Upgrades (WebSocket, SPDY for kubectl exec and port-forward) stay HTTP/1.1 Upgrade exchanges, as tools expect.
    private static readonly ForwarderRequestConfig Http11 = new()
    {
        ActivityTimeout = Timeout.InfiniteTimeSpan,
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    /// <summary>
    /// Forwards to <paramref name="upstream"/>. <paramref name="registryClientV2"/>: in registry mode on a reverse route, the
    /// client's form of the registry's <c>/v2/</c>, which upstream <c>Location</c>s are mapped to (null in forward mode).
    /// </summary>
    public async Task<Exchange> SendAsync(
        HttpContext context, ConnectorKey key, AccessCheck check, Uri upstream, string destinationPrefix, IReadOnlyList<string>? strip, ReverseRewrite? rewrite,
        string? registryClientV2, CancellationToken cancellationToken)
    {
        Secret? secret = null, caBundle = null;
        AuthType? authType = null;
        ConnectorClass? connectorClass = null;
        if (check.Connector is { } connector)
        {
            if (connector.Spec.Auth?.SecretRef?.Name is { Length: > 0 } secretName && (secret = directory.GetSecret(key.Namespace, secretName)) is null)
            {
                return await CredentialFailedAsync(context, key, check, $"Secret \"{key.Namespace}/{secretName}\" not found", cancellationToken);
            }

            connectorClass = check.Class;
            authType = FindAuthType(connectorClass?.Spec.Auth?.Types, connector.Spec.Auth?.Name);
            caBundle = ReadCaBundle(connector, key);
        }

        var invoker = clients.For(caBundle, check.Connector is null ? null : caPool.Current);
        RegistryPlan? plan = null;
        var registryMode = check.Connector is not null && ProxyMode.IsRegistry(connectorClass);
        var path = default(RegistryPath);
        var registryApi = registryMode && RegistryPath.TryParse(upstream.PathAndQuery, out path);
        if (registryMode && !registryApi && await registryAuth.IsTokenServiceAsync(invoker, upstream, cancellationToken))
        {
            // The Connector's account would buy the workload a registry token to use without the proxy.
            Log.TokenServiceRefused(logger, key.ToString());
            await ProxyResponses.WriteRegistryErrorAsync(context, StatusCodes.Status403Forbidden, "DENIED",
                $"the registry's token service is not reachable through connector \"{key}\": the proxy authenticates each registry request itself", cancellationToken);
            return Exchange.Refused(key, check.Subject, StatusCodes.Status403Forbidden, null);
        }

        if (registryApi)
        {
            (plan, var unusable) = await registryAuth.PlanAsync(context, invoker, upstream, path, secret, registryClientV2, cancellationToken);
            if (unusable is not null)
            {
                return await CredentialFailedAsync(context, key, check, unusable, cancellationToken);
            }
        }

        var requestBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true ? new CountingStream(context.Request.Body) : null;
        if (requestBody is not null)
        {
            context.Request.Body = requestBody;
        }

        // Kestrel's own body, before the counting stream is set over it: a large body is copied straight into its pipe.
        var directBody = context.Features.Get<IHttpResponseBodyFeature>();
        var responseBody = new CountingStream(context.Response.Body);
        context.Response.Body = responseBody;
        CountingUpgradeFeature? upgrade = null;
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgradable)
        {
            context.Features.Set<IHttpUpgradeFeature>(upgrade = new CountingUpgradeFeature(upgradable));
        }

        // YARP links context.RequestAborted itself; passing the same token again would only register a second time.
        var extra = cancellationToken == context.RequestAborted ? CancellationToken.None : cancellationToken;
        var config = upgrade is null ? Negotiated : Http11;
        var registry = plan?.Forward;
        var transformer = new ForwardTransformer(key, upstream, strip, rewrite, check.Connector is null || registry is not null ? null : injection, secret, authType, registry, directBody);
        var error = await forwarder.SendAsync(context, destinationPrefix, invoker, config, transformer, extra);
        if (registry?.Challenges is { } challenges)
        {
            // The registry refused a bodyless request with a challenge, and nothing of it reached the client: answer it, once.
            context.Response.Clear();
            var again = await registryAuth.ReauthorizeAsync(invoker, upstream, plan!.Credential, challenges, plan.Scopes, registry.Authorization, cancellationToken);
            if (again?.Error is { } failed)
            {
                return await CredentialFailedAsync(context, key, check, failed, cancellationToken);
            }

            transformer = new ForwardTransformer(key, upstream, strip, rewrite, null, secret, authType, registry.Retry(again?.Header ?? registry.Authorization), directBody);
            error = await forwarder.SendAsync(context, destinationPrefix, invoker, config, transformer, extra);
        }

        if (transformer.Refused is { } refused)
        {
            Log.InjectionFailed(logger, key.ToString(), refused.Message ?? string.Empty);
            return Exchange.Refused(key, check.Subject, StatusCodes.Status502BadGateway, null);
        }

        if (transformer.LocationRefused is { } misdirected)
        {
            // The registry's answer named a Location the client must not follow (another host, a dot segment...): the
            // client gets none of it, as an upload session is sent the client's own credential.
            Log.LocationRefused(logger, key.ToString(), misdirected);
            var code = context.Request.Method == HttpMethods.Get || context.Request.Method == HttpMethods.Head ? "UNSUPPORTED" : "BLOB_UPLOAD_INVALID";
            await ProxyResponses.WriteRegistryErrorAsync(
                context, StatusCodes.Status502BadGateway, code, $"the registry's answer was refused, as its Location cannot be passed on: {misdirected}", cancellationToken);
            return new Exchange(key, check.Subject, new ForwardResult(StatusCodes.Status502BadGateway, requestBody?.BytesRead ?? 0, 0), null);
        }

        var copied = transformer.Copied;
        if (copied is { } direct)
        {
            Log.CopiedDirectly(logger, key.ToString(), direct.Bytes, direct.Error, direct.Exception?.GetType().Name);
        }

        var status = error != ForwarderError.None ? await ReportAsync(context, error, upstream, cancellationToken)
            : copied?.Error is ForwarderError.ResponseBodyClient or ForwarderError.ResponseBodyCanceled ? 499
            : copied is { Error: ForwarderError.ResponseBodyDestination } broken ? BodyBroke(context, broken, upstream)
            : context.Response.StatusCode;
        var bytesIn = (requestBody?.BytesRead ?? 0) + (upgrade?.Stream?.BytesRead ?? 0);
        var bytesOut = responseBody.BytesWritten + (upgrade?.Stream?.BytesWritten ?? 0) + (copied?.Bytes ?? 0);
        return new Exchange(key, check.Subject, new ForwardResult(status, bytesIn, bytesOut), null);
    }

    private async Task<Exchange> CredentialFailedAsync(HttpContext context, ConnectorKey key, AccessCheck check, string reason, CancellationToken cancellationToken)
    {
        Log.InjectionFailed(logger, key.ToString(), reason);
        await ProxyResponses.WriteAsync(context, StatusCodes.Status502BadGateway, $"the credential of connector \"{key}\" cannot be used: {reason}", cancellationToken);
        return Exchange.Refused(key, check.Subject, StatusCodes.Status502BadGateway, null);
    }

    /// <summary>
    /// A failed forward: YARP has set the status (or aborted a started response); the client gets a line naming the
    /// upstream and the reason, and the log the status it was given (499 when the client went away, as nginx writes).
    /// </summary>
    private async Task<int> ReportAsync(HttpContext context, ForwarderError error, Uri upstream, CancellationToken cancellationToken)
    {
        if (ClientWentAway(context, error))
        {
            return 499;
        }

        var reason = context.Features.Get<IForwarderErrorFeature>()?.Exception?.Message ?? error.ToString();
        Log.UpstreamFailed(logger, context.Request.Method, upstream.Authority, error, reason);
        var status = context.Response.StatusCode;
        if (context.Response.HasStarted || status < 500)
        {
            return status;
        }

        var message = status == StatusCodes.Status504GatewayTimeout ? $"upstream {upstream.Authority} did not answer in time" : $"upstream {upstream.Authority}: {reason}";
        return await ProxyResponses.WriteAsync(context, status, message, cancellationToken);
    }

    /// <summary>
    /// Whether a failed forward is the client's doing (logged 499). A tool that breaks off makes YARP abort the client's
    /// connection too, which cancels <c>RequestAborted</c>: an error on the tool's side stays the tool's.
    /// </summary>
    internal static bool ClientWentAway(HttpContext context, ForwarderError error) =>
        context.RequestAborted.IsCancellationRequested
        && error is not (ForwarderError.RequestBodyDestination or ForwarderError.ResponseBodyDestination
            or ForwarderError.UpgradeRequestDestination or ForwarderError.UpgradeResponseDestination);

    /// <summary>
    /// The tool broke off a directly copied body: the client's connection was aborted (its answer had started), and the
    /// log says it was the tool, not the client, even though the abort has cancelled the request by now.
    /// </summary>
    private int BodyBroke(HttpContext context, DirectCopyResult copy, Uri upstream)
    {
        Log.UpstreamFailed(logger, context.Request.Method, upstream.Authority, copy.Error, copy.Exception?.Message ?? copy.Error.ToString());
        return context.Response.StatusCode;
    }

    private static AuthType? FindAuthType(List<AuthType>? types, string? name)
    {
        if (types is not null)
        {
            foreach (var type in types)
            {
                if (type.Name == name)
                {
                    return type;
                }
            }
        }

        return null;
    }

    private Secret? ReadCaBundle(Connector connector, ConnectorKey key) =>
        connector.Spec.CaCertSecretRef?.Name is { Length: > 0 } name ? directory.GetSecret(key.Namespace, name) : null;

    private static partial class Log
    {
        [LoggerMessage(6002, LogLevel.Warning, "Credential of {Connector} not injected: {Reason}")]
        public static partial void InjectionFailed(ILogger logger, string connector, string reason);

        [LoggerMessage(6005, LogLevel.Warning, "Registry answer for {Connector} not passed on: {Reason}")]
        public static partial void LocationRefused(ILogger logger, string connector, string reason);

        [LoggerMessage(6006, LogLevel.Warning, "Request for {Connector} to the registry's token service refused")]
        public static partial void TokenServiceRefused(ILogger logger, string connector);

        [LoggerMessage(6007, LogLevel.Debug, "Response body for {Connector} copied straight into the client's pipe: {Bytes} bytes, {Error} {Failure}")]
        public static partial void CopiedDirectly(ILogger logger, string connector, long bytes, ForwarderError error, string? failure);

        [LoggerMessage(6004, LogLevel.Warning, "Upstream exchange for {Method} {Upstream} failed ({Error}): {Reason}")]
        public static partial void UpstreamFailed(ILogger logger, string method, string upstream, ForwarderError error, string reason);
    }
}
