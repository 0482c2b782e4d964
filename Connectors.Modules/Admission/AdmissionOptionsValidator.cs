using Microsoft.Extensions.Options;

namespace Connectors.Modules.Admission;

/// <summary>Checks <see cref="AdmissionOptions"/> before anything starts; messages name the configuration key.</summary>
internal sealed class AdmissionOptionsValidator : IValidateOptions<AdmissionOptions>
{
    public ValidateOptionsResult Validate(string? name, AdmissionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ProxyExposure is not ("ClusterIP" or "NodePort"))
        {
            failures.Add($"Admission:ProxyExposure: \"{options.ProxyExposure}\" is not valid: want ClusterIP or NodePort");
        }

        if (string.IsNullOrWhiteSpace(options.CertificateSecret))
        {
            failures.Add("Admission:CertificateSecret: a Secret name is required");
        }

        if (options.PullTokenLifetime < TimeSpan.FromMinutes(10))
        {
            failures.Add("Admission:PullTokenLifetime: must be at least 10m (the API's shortest token)");
        }

        if (options.CertificateValidity < TimeSpan.FromHours(1) || options.CheckInterval <= TimeSpan.Zero)
        {
            failures.Add("Admission:CertificateValidity must be at least 1h and Admission:CheckInterval positive");
        }

        if (!(options.AccessReviewQps > 0) || options.AccessReviewBurst < 1)
        {
            failures.Add("Admission:AccessReviewQps must be positive and Admission:AccessReviewBurst at least 1");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
