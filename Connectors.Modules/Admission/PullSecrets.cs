using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Connectors.Modules.Controller;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Admission;

/// <summary>
/// The image pull Secrets of Pods that pull through a Connector: one <c>kubernetes.io/dockerconfigjson</c>
/// Secret per (Pod namespace, ServiceAccount, Connector, proxy registry), in the Pod's namespace, holding the
/// placeholder user <c>connectors</c> and a token of the ServiceAccount (TokenRequest; audiences those the proxy
/// accepts for the Connector) as password. Renewed once a third of the token's lifetime is left.
/// </summary>
internal sealed partial class PullSecrets(KubeClient client, ControllerCaches caches, AdmissionOptions options, TimeProvider time, ILogger<PullSecrets> logger)
{
    public const string Label = "connectors.cpaas.io/pull-secret";
    public const string ConnectorAnnotation = "connectors.cpaas.io/connector";
    public const string ServiceAccountAnnotation = "connectors.cpaas.io/service-account";
    public const string RegistryAnnotation = "connectors.cpaas.io/registry";
    public const string ExpirationAnnotation = "connectors.cpaas.io/token-expiration";
    public const string RenewAfterAnnotation = "connectors.cpaas.io/token-renew-after";
    public const string Username = "connectors";

    /// <summary>Set on a Pod by the webhook: the proxy's registry host its images were rewritten to.</summary>
    public const string PodRegistryAnnotation = "connectors.cpaas.io/pull-registry";
    private const string DockerConfigJsonType = "kubernetes.io/dockerconfigjson";

    /// <summary>The Secret's name: stable for its four inputs, and no longer than a name may be.</summary>
    public static string NameFor(string podNamespace, string serviceAccount, Connector connector, string registry)
    {
        var key = $"{podNamespace}/{serviceAccount}/{connector.Metadata.Namespace}/{connector.Metadata.Name}/{registry}";
        return "connectors-pull-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
    }

    /// <summary>
    /// Whether the Secret's token has less than a third of its lifetime left (or no readable renewal time). The
    /// lifetime is the one the API granted, which may be shorter than the one asked for.
    /// </summary>
    public bool NeedsRenewal(Secret secret)
    {
        var text = secret.Metadata.Annotations?.GetValueOrDefault(RenewAfterAnnotation);
        return !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var renewAfter)
            || time.GetUtcNow() >= renewAfter;
    }

    /// <summary>Creates the Secret or renews its token when due; its name.</summary>
    /// <exception cref="KubeException">No token could be issued or the Secret could not be written; the message says which.</exception>
    public async Task<string> EnsureAsync(string podNamespace, string serviceAccount, Connector connector, string registry, CancellationToken cancellationToken)
    {
        var name = NameFor(podNamespace, serviceAccount, connector, registry);
        var existing = caches.Secrets.Get(podNamespace, name) ?? (await client.GetAsync<Secret>(podNamespace, name, cancellationToken)).Value;
        if (existing is not null && !NeedsRenewal(existing))
        {
            return name;
        }

        await WriteAsync(existing, podNamespace, name, serviceAccount, connector, registry, cancellationToken);
        return name;
    }

    /// <summary>
    /// Writes or renews the pull Secrets of Pods that exist. Only a Pod that the webhook rewrote (its label, Connector
    /// annotation, registry annotation, and the Secret's name in its imagePullSecrets) gets a Secret, holding a token
    /// of the ServiceAccount the Pod runs as: whoever could create that Pod could already use that ServiceAccount.
    /// Neither a forged AdmissionReview nor a Secret someone labelled by hand makes the controller issue a token.
    /// </summary>
    public async Task SyncAsync(IEnumerable<Pod> pods, CancellationToken cancellationToken)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            var podNamespace = pod.Metadata.Namespace ?? string.Empty;
            var annotations = pod.Metadata.Annotations ?? [];
            if (pod.Metadata.Labels?.GetValueOrDefault(PodAdmission.InjectLabel) != "true" || pod.Metadata.DeletionTimestamp is not null
                || annotations.GetValueOrDefault(PodAdmission.ConnectorAnnotation) is not { Length: > 0 } reference
                || annotations.GetValueOrDefault(PodRegistryAnnotation) is not { Length: > 0 } registry)
            {
                continue;
            }

            var parts = reference.Split('/');
            var (ns, name) = parts.Length == 2 ? (parts[0], parts[1]) : (podNamespace, parts[0]);
            if (caches.Connectors.Get(ns, name) is not { } connector)
            {
                continue;
            }

            var serviceAccount = pod.Spec?.ServiceAccountName is { Length: > 0 } sa ? sa : "default";
            var secretName = NameFor(podNamespace, serviceAccount, connector, registry);
            if (pod.Spec?.ImagePullSecrets?.Any(r => r.Name == secretName) != true || !done.Add(podNamespace + "/" + secretName))
            {
                continue;
            }

            try
            {
                await EnsureAsync(podNamespace, serviceAccount, connector, registry, cancellationToken);
            }
            catch (KubeException e)
            {
                Log.RenewFailed(logger, podNamespace, secretName, e.Message);
            }
        }
    }

    private async Task WriteAsync(Secret? existing, string ns, string name, string serviceAccount, Connector connector, string registry, CancellationToken cancellationToken)
    {
        var audiences = Audiences(connector);
        var request = new TokenRequest { Spec = new TokenRequestSpec { Audiences = audiences, ExpirationSeconds = (long)options.PullTokenLifetime.TotalSeconds } };
        var answer = await client.RequestTokenAsync(ns, serviceAccount, request, cancellationToken);
        if (!answer.IsOk || answer.Value!.Status?.Token is not { Length: > 0 } token)
        {
            throw new KubeException(answer.Outcome, $"could not issue a token for serviceaccount \"{ns}/{serviceAccount}\": {answer.Message ?? "the answer has no token"}");
        }

        var issued = time.GetUtcNow();
        var expires = answer.Value.Status.ExpirationTimestamp ?? issued + options.PullTokenLifetime;
        var renewAfter = issued + ((expires - issued) * 2 / 3);
        var auth = BasicCredentials.Encode(Username, token);
        var config = new JsonObject
        {
            ["auths"] = new JsonObject { [registry] = new JsonObject { ["username"] = Username, ["password"] = token, ["auth"] = auth } },
        };
        var secret = new Secret
        {
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = ns,
                ResourceVersion = existing?.Metadata.ResourceVersion,
                Labels = new() { [Label] = "true", [WebhookCertificateFactory.ManagedByLabel] = WebhookCertificateFactory.ManagedBy },
                Annotations = new()
                {
                    [ConnectorAnnotation] = $"{connector.Metadata.Namespace}/{connector.Metadata.Name}",
                    [ServiceAccountAnnotation] = serviceAccount,
                    [RegistryAnnotation] = registry,
                    [ExpirationAnnotation] = KubeTimeConverter.Format(expires),
                    [RenewAfterAnnotation] = KubeTimeConverter.Format(renewAfter),
                },
            },
            Type = DockerConfigJsonType,
            Data = new() { [".dockerconfigjson"] = Encoding.UTF8.GetBytes(config.ToJsonString()) },
        };
        var written = existing is null ? await client.CreateAsync(secret, cancellationToken) : await client.UpdateAsync(secret, cancellationToken);
        if (!written.IsOk && written.Outcome != KubeOutcome.Conflict)
        {
            throw new KubeException(written.Outcome, $"could not write Secret \"{ns}/{name}\": {written.Message}");
        }

        // Conflict: another replica wrote it at the same moment; either token serves.
        Log.Written(logger, ns, name, serviceAccount, expires);
    }

    private static List<string> Audiences(Connector connector)
    {
        var audiences = new List<string>();
        foreach (var value in new[] { connector.Status?.Proxy?.HttpAddress?.Audience, connector.Status?.Proxy?.HttpAddress?.Url, $"http://c-{connector.Metadata.Name}.{connector.Metadata.Namespace}.svc.cluster.local" })
        {
            if (!string.IsNullOrEmpty(value) && !audiences.Contains(value))
            {
                audiences.Add(value);
            }
        }

        return audiences;
    }

    private static partial class Log
    {
        [LoggerMessage(10101, LogLevel.Information, "Pull Secret {Namespace}/{Name} written for serviceaccount {ServiceAccount}, token valid until {Expires}")]
        public static partial void Written(ILogger logger, string @namespace, string name, string serviceAccount, DateTimeOffset expires);

        [LoggerMessage(10102, LogLevel.Warning, "Pull Secret {Namespace}/{Name} could not be renewed: {Error}")]
        public static partial void RenewFailed(ILogger logger, string @namespace, string name, string error);
    }
}
