using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Microsoft.Extensions.Hosting;

namespace Connectors.Modules.Admission;

/// <summary>
/// Writes the pull Secrets of the Pods the webhook rewrote, once they exist, and renews their tokens before they expire:
/// at once when the webhook admitted such a Pod (on the replica that admitted it), else at the admission check interval,
/// then only on the leader when leader election is on: replicas do not each issue TokenRequests for the same Secrets.
/// </summary>
internal sealed class PullSecretRenewer(
    PullSecrets secrets, KubeClient client, AdmissionOptions options, Controller.ControllerCaches caches, TimeProvider time,
    LeaderElector elector, Controller.ControllerOptions controller)
    : BackgroundService
{
    private readonly SemaphoreSlim _nudge = new(0, 1);

    /// <summary>A Pod was admitted: look for it soon (it exists once the API server has stored it).</summary>
    public void Nudge()
    {
        try
        {
            _nudge.Release();
        }
        catch (SemaphoreFullException)
        {
            // A round is due already.
        }
    }

    /// <summary>One round: the labelled Pods, their Secrets.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var pods = await client.ListAsync<Pod>(null, new ListOptions { LabelSelector = PodAdmission.InjectLabel + "=true" }, cancellationToken);
        if (pods.IsOk)
        {
            await secrets.SyncAsync(pods.Value!.Items, cancellationToken);
        }
    }

    public override void Dispose()
    {
        _nudge.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await caches.WaitForSyncAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                if (!controller.LeaderElect || elector.IsLeader)
                {
                    await SyncAsync(stoppingToken);
                }

                if (await _nudge.WaitAsync(options.CheckInterval, stoppingToken))
                {
                    // The admitted Pod is stored after the webhook answered; a few rounds catch it.
                    for (var i = 0; i < 5 && !stoppingToken.IsCancellationRequested; i++)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(200), time, stoppingToken);
                        await SyncAsync(stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
