using Microsoft.Extensions.Options;

namespace Connectors.Modules.Kube;

/// <summary>Cross-field rules of <see cref="KubeOptions"/>: client-go's leader election timing constraints.</summary>
internal sealed class KubeOptionsValidator : IValidateOptions<KubeOptions>
{
    public ValidateOptionsResult Validate(string? name, KubeOptions options)
    {
        var election = options.LeaderElection;
        if (election.RetryPeriod <= TimeSpan.Zero || election.RenewDeadline <= TimeSpan.Zero || election.LeaseDuration <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail("leader election lease duration, renew deadline and retry period must be positive");
        }

        if (election.LeaseDuration <= election.RenewDeadline)
        {
            return ValidateOptionsResult.Fail($"leader election lease duration ({election.LeaseDuration.TotalSeconds} s) must be greater than the renew deadline ({election.RenewDeadline.TotalSeconds} s)");
        }

        if (election.RenewDeadline <= election.RetryPeriod * 1.2)
        {
            return ValidateOptionsResult.Fail($"leader election renew deadline ({election.RenewDeadline.TotalSeconds} s) must be greater than 1.2 x the retry period ({election.RetryPeriod.TotalSeconds} s)");
        }

        return options.RequestTimeout <= TimeSpan.Zero
            ? ValidateOptionsResult.Fail("Kube:RequestTimeout must be positive")
            : ValidateOptionsResult.Success;
    }
}
