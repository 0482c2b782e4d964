using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Connectors.Modules.Controller;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Connectors.Modules.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Admission;

/// <summary>
/// Keeps the webhook serving certificate on every replica: creates the Secret when it is missing (the first
/// replica wins, the others read it), renews it once less than a quarter of its validity is left (only a Secret
/// this controller made; cert-manager's is served as it is), serves what the Secret holds, and writes its CA
/// into the <c>caBundle</c> of the webhook configurations unless they carry cert-manager's
/// <c>cert-manager.io/inject-ca-from</c> annotation (cert-manager's CA injector then owns the field).
/// </summary>
internal sealed partial class WebhookCertificateKeeper(
    KubeClient client,
    AdmissionOptions options,
    ControllerOptions controller,
    TimeProvider time,
    ILogger<WebhookCertificateKeeper> logger) : BackgroundService, IReadinessCheck
{
    public const string InjectCaAnnotation = "cert-manager.io/inject-ca-from";

    private static readonly string[] ConfigurationPaths =
    [
        "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/",
        "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/",
    ];

    private X509Certificate2? _current;

    public string Name => "webhook-certificate";

    public bool IsReady => Current is not null;

    /// <summary>The certificate the listener serves (null until the Secret was read).</summary>
    public X509Certificate2? Current => Volatile.Read(ref _current);

    /// <summary>One round: the Secret, the served certificate, the caBundles.</summary>
    /// <exception cref="KubeException">The API failed; the next round tries again.</exception>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var secret = await EnsureSecretAsync(cancellationToken);
        var loaded = WebhookCertificateFactory.Load(secret);
        if (loaded is null)
        {
            Log.Unusable(logger, controller.ComponentsNamespace, options.CertificateSecret);
            return;
        }

        if (Current?.Thumbprint == loaded.Thumbprint)
        {
            loaded.Dispose();
        }
        else
        {
            Volatile.Write(ref _current, loaded);
            Log.Serving(logger, loaded.Subject, loaded.NotAfter.ToUniversalTime());
        }

        if (secret.Data?.GetValueOrDefault("ca.crt") is { Length: > 0 } ca)
        {
            foreach (var path in ConfigurationPaths)
            {
                await UpdateCaBundleAsync(path + options.ConfigurationName, Convert.ToBase64String(ca), cancellationToken);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubeException or HttpRequestException or IOException
                or System.Security.Cryptography.CryptographicException or FormatException or ArgumentException)
            {
                // An API error, or a Secret someone else wrote (cert-manager's) that holds no usable PEM: say so and
                // try again at the next check instead of stopping the controller.
                Log.CheckFailed(logger, e.Message);
            }

            // Quickly until a certificate is served, then at the check interval.
            var delay = Current is null ? TimeSpan.FromSeconds(1) : options.CheckInterval;
            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<Secret> EnsureSecretAsync(CancellationToken cancellationToken)
    {
        var ns = controller.ComponentsNamespace;
        var existing = await client.GetAsync<Secret>(ns, options.CertificateSecret, cancellationToken);
        if (existing.Outcome == KubeOutcome.NotFound)
        {
            var created = await client.CreateAsync(NewSecret(), cancellationToken);
            if (created.IsOk)
            {
                Log.Created(logger, ns, options.CertificateSecret);
                return created.Value!;
            }

            // Conflict: another replica was first; its Secret stands.
            existing = await client.GetAsync<Secret>(ns, options.CertificateSecret, cancellationToken);
        }

        var secret = existing.GetValueOrThrow();
        var ours = secret.Metadata.Labels?.GetValueOrDefault(WebhookCertificateFactory.ManagedByLabel) == WebhookCertificateFactory.ManagedBy;
        if (!ours || !WebhookCertificateFactory.NeedsRenewal(secret, time.GetUtcNow()))
        {
            return secret;
        }

        var renewed = NewSecret();
        renewed.Metadata.ResourceVersion = secret.Metadata.ResourceVersion;
        var updated = await client.UpdateAsync(renewed, cancellationToken);
        if (updated.IsOk)
        {
            Log.Renewed(logger, ns, options.CertificateSecret);
            return updated.Value!;
        }

        // Conflict: another replica renewed it first.
        return (await client.GetAsync<Secret>(ns, options.CertificateSecret, cancellationToken)).GetValueOrThrow();
    }

    private Secret NewSecret() => WebhookCertificateFactory.Create(
        controller.ComponentsNamespace, options.CertificateSecret, options.ServiceName, options.CertificateValidity, time.GetUtcNow());

    private async Task UpdateCaBundleAsync(string path, string caBundle, CancellationToken cancellationToken)
    {
        var read = await client.SendJsonAsync(HttpMethod.Get, path, null, cancellationToken);
        if (read.Outcome == KubeOutcome.NotFound)
        {
            return;
        }

        if (read.Value is not JsonObject configuration)
        {
            throw new KubeException(read.Outcome, $"read {path}: {read.Message}");
        }

        if (configuration["metadata"]?["annotations"]?[InjectCaAnnotation] is not null)
        {
            return;
        }

        var changed = false;
        foreach (var webhook in (configuration["webhooks"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (webhook["clientConfig"] is JsonObject clientConfig && (string?)clientConfig["service"]?["name"] == options.ServiceName
                && (string?)clientConfig["caBundle"] != caBundle)
            {
                clientConfig["caBundle"] = caBundle;
                changed = true;
            }
        }

        if (!changed)
        {
            return;
        }

        var written = await client.SendJsonAsync(HttpMethod.Put, path, configuration, cancellationToken);
        if (written.IsOk)
        {
            Log.CaBundleWritten(logger, path);
        }
        else if (written.Outcome != KubeOutcome.Conflict)
        {
            throw new KubeException(written.Outcome, $"update {path}: {written.Message}");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(10001, LogLevel.Information, "Webhook certificate Secret {Namespace}/{Name} created")]
        public static partial void Created(ILogger logger, string @namespace, string name);

        [LoggerMessage(10002, LogLevel.Information, "Webhook certificate Secret {Namespace}/{Name} renewed")]
        public static partial void Renewed(ILogger logger, string @namespace, string name);

        [LoggerMessage(10003, LogLevel.Information, "Webhook listener serves {Subject}, valid until {NotAfter}")]
        public static partial void Serving(ILogger logger, string subject, DateTime notAfter);

        [LoggerMessage(10004, LogLevel.Warning, "Webhook certificate Secret {Namespace}/{Name} holds no usable tls.crt/tls.key pair")]
        public static partial void Unusable(ILogger logger, string @namespace, string name);

        [LoggerMessage(10005, LogLevel.Information, "caBundle written to {Configuration}")]
        public static partial void CaBundleWritten(ILogger logger, string configuration);

        [LoggerMessage(10006, LogLevel.Warning, "Webhook certificate check failed, retrying: {Error}")]
        public static partial void CheckFailed(ILogger logger, string error);
    }
}
