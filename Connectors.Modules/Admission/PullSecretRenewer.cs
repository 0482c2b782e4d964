using Microsoft.Extensions.Hosting;

namespace Connectors.Modules.Admission;

/// <summary>Renews the pull Secrets' tokens before they expire, at the admission check interval.</summary>
internal sealed class PullSecretRenewer(PullSecrets secrets, AdmissionOptions options, Controller.ControllerCaches caches, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await caches.WaitForSyncAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await secrets.RenewDueAsync(stoppingToken);
                await Task.Delay(options.CheckInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
