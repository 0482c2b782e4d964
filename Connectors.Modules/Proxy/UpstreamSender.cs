using Connectors.Modules.Credentials;
using Connectors.Modules.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Proxy;

/// <summary>
/// The last step of the pipeline: builds the upstream request, injects the allowed Connector's credential from its
/// Secret (read from the watch cache on every request, so a rotation is used at once), picks the upstream
/// connection pool for the Connector's CA bundle (plus the cluster-wide CA pool while its flag is on), and forwards.
/// </summary>
internal sealed partial class UpstreamSender(
    IConnectorDirectory directory,
    ProxyAccess access,
    CredentialInjection injection,
    UpstreamClients clients,
    ProxyCaPool caPool,
    ILogger<UpstreamSender> logger)
{
    public async Task<Exchange> SendAsync(
        HttpContext context, ConnectorKey key, AccessCheck check, Uri upstream, IReadOnlyList<string>? strip, ReverseRewrite? rewrite, CancellationToken cancellationToken)
    {
        using var request = Forwarder.CreateRequest(context, upstream, strip, out var body);
        Secret? caBundle = null;
        if (check.Connector is { } connector)
        {
            var injected = Inject(request, connector, key);
            if (injected.Outcome is InjectionOutcome.InvalidSecret or InjectionOutcome.Unsupported)
            {
                Log.InjectionFailed(logger, key.ToString(), injected.Message ?? string.Empty);
                return await ProxyPipeline.RefuseAsync(context, key, check.Subject, StatusCodes.Status502BadGateway,
                    $"the credential of connector \"{key}\" cannot be used: {injected.Message}", null, cancellationToken);
            }

            caBundle = ReadCaBundle(connector, key);
        }

        var invoker = clients.For(caBundle, check.Connector is null ? null : caPool.Current);
        var result = await Forwarder.SendAsync(invoker, request, body, context, rewrite, cancellationToken);
        return new Exchange(key, check.Subject, result, null);
    }

    private InjectionResult Inject(HttpRequestMessage request, Connector connector, ConnectorKey key)
    {
        if (connector.Spec.Auth?.SecretRef?.Name is not { Length: > 0 } secretName)
        {
            return InjectionResult.NoCredential;
        }

        var secret = directory.GetSecret(key.Namespace, secretName);
        if (secret is null)
        {
            return new InjectionResult(InjectionOutcome.InvalidSecret, $"Secret \"{key.Namespace}/{secretName}\" not found");
        }

        return injection.Inject(request, secret, FindAuthType(access.ClassOf(connector)?.Spec.Auth?.Types, connector.Spec.Auth.Name));
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
    }
}
