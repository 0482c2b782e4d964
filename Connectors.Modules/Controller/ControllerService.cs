using Connectors.Modules.Kube;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Controller;

/// <summary>
/// The controller's main loop: registers the triggers, waits for the watch caches, then (as leader, when leader
/// election is on) creates the proxy CA if missing and runs the Connector and ConnectorClass workers. Losing
/// leadership stops the workers at once; the queues keep their keys for the next term.
/// </summary>
internal sealed partial class ControllerService(
    ControllerCaches caches,
    ControllerLoops loops,
    ProxyCaInstaller proxyCa,
    LeaderElector elector,
    ControllerOptions options,
    ILogger<ControllerService> logger) : BackgroundService
{
    /// <summary>True while this instance runs workers.</summary>
    public bool IsLeading { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ControllerTriggers.Register(caches, loops, options.ComponentsNamespace);
        try
        {
            await caches.WaitForSyncAsync(stoppingToken);
            if (options.LeaderElect)
            {
                await elector.RunAsync(LeadAsync, stoppingToken);
            }
            else
            {
                await LeadAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        IsLeading = true;
        Log.Leading(logger, options.Workers, options.ProbeInterval);
        try
        {
            foreach (var connectorClass in caches.Classes.List())
            {
                loops.Classes.Queue.Add(new ObjectKey(string.Empty, connectorClass.Metadata.Name!));
            }

            foreach (var connector in caches.Connectors.List())
            {
                loops.Connectors.Queue.Add(new ObjectKey(connector.Metadata.Namespace!, connector.Metadata.Name!));
            }

            await Task.WhenAll(
                loops.Connectors.RunAsync(options.Workers, cancellationToken),
                loops.Classes.RunAsync(Math.Clamp(options.Workers / 4, 1, 4), cancellationToken),
                EnsureProxyCaAsync(cancellationToken));
        }
        finally
        {
            IsLeading = false;
            Log.Stopped(logger);
        }
    }

    private async Task EnsureProxyCaAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (options.CreateProxyCa && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await proxyCa.EnsureAsync(cancellationToken);
                return;
            }
            catch (KubeException e)
            {
                Log.ProxyCaFailed(logger, e.Message, delay);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(5).Ticks));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2001, LogLevel.Information, "Controller leading: {Workers} connector workers, re-probe every {ProbeInterval}")]
        public static partial void Leading(ILogger logger, int workers, TimeSpan probeInterval);

        [LoggerMessage(2002, LogLevel.Information, "Controller workers stopped")]
        public static partial void Stopped(ILogger logger);

        [LoggerMessage(2003, LogLevel.Warning, "Could not ensure the proxy CA Secret, retrying in {Delay}: {Error}")]
        public static partial void ProxyCaFailed(ILogger logger, string error, TimeSpan delay);
    }
}
