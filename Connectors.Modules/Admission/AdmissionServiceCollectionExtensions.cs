using Connectors.Modules.Controller;
using Connectors.Modules.Kube;
using Connectors.Modules.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Admission;

/// <summary>
/// The Admission module's door: the controller's HTTPS webhook listener (Connector and ConnectorClass
/// validation, Pod image rewriting), its serving certificate and caBundles, and the pull Secrets' renewal.
/// Needs <see cref="ControllerServiceCollectionExtensions.AddController"/> (its caches).
/// </summary>
public static class AdmissionServiceCollectionExtensions
{
    public static IServiceCollection AddAdmission(this IServiceCollection services)
    {
        services.AddOptions<AdmissionOptions>()
            .Configure<IConfiguration>((options, configuration) => Bind(configuration, options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdmissionOptions>, AdmissionOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<AdmissionOptions>>().Value);
        services.TryAddSingleton<WebhookCertificateKeeper>();
        services.TryAddSingleton<PullSecrets>();
        services.TryAddSingleton<PodAdmission>();
        services.TryAddSingleton<AdmissionHandler>();
        services.TryAddSingleton<WebhookServer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReadinessCheck, WebhookServer>(sp => sp.GetRequiredService<WebhookServer>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReadinessCheck, WebhookCertificateKeeper>(sp => sp.GetRequiredService<WebhookCertificateKeeper>()));
        services.AddHostedService(sp => sp.GetRequiredService<WebhookCertificateKeeper>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookServer>());
        services.TryAddSingleton<PullSecretRenewer>();
        services.AddHostedService(sp => sp.GetRequiredService<PullSecretRenewer>());
        return services;
    }

    /// <exception cref="FormatException">A duration or number is malformed; the message names the key.</exception>
    private static void Bind(IConfiguration configuration, AdmissionOptions options)
    {
        var section = configuration.GetSection(AdmissionOptions.SectionName);
        options.Listen = section["Listen"] is { Length: > 0 } listen ? listen : options.Listen;
        options.CertificateSecret = section["CertificateSecret"] is { Length: > 0 } secret ? secret : options.CertificateSecret;
        options.ServiceName = section["ServiceName"] is { Length: > 0 } service ? service : options.ServiceName;
        options.ConfigurationName = section["ConfigurationName"] is { Length: > 0 } name ? name : options.ConfigurationName;
        options.ProxyExposure = section["ProxyExposure"] is { Length: > 0 } exposure ? exposure : options.ProxyExposure;
        options.PullTokenLifetime = KubeOptionsBinder.Duration(section, "PullTokenLifetime") ?? options.PullTokenLifetime;
        options.CertificateValidity = KubeOptionsBinder.Duration(section, "CertificateValidity") ?? options.CertificateValidity;
        options.CheckInterval = KubeOptionsBinder.Duration(section, "CheckInterval") ?? options.CheckInterval;
        options.AccessReviewQps = KubeOptionsBinder.Number(section, "AccessReviewQps", double.Parse) ?? options.AccessReviewQps;
        options.AccessReviewBurst = KubeOptionsBinder.Number(section, "AccessReviewBurst", int.Parse) ?? options.AccessReviewBurst;
    }
}
