using Connectors.Modules.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Kube;

/// <summary>
/// Asks the API server's <c>/version</c> (readable by anyone in a real cluster, and no etcd round trip) past the client's rate limit: every
/// 5 s, at once when a caller suspects an outage, and every second while one lasts, with a 2 s bound per ask. It is
/// also a <c>/readyz</c> check of the role: a replica that cannot reach the API says so, and one that can takes the
/// traffic.
/// </summary>
internal sealed partial class KubeReachabilityService(KubeClient client, ILogger<KubeReachabilityService> logger)
    : BackgroundService, IReadinessCheck
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    internal static readonly TimeSpan OutageInterval = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public string Name => "kubernetes-api";

    public bool IsReady => client.Reachability.IsReachable;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reachability = client.Reachability;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await reachability.WaitForSuspicionAsync(reachability.IsReachable ? Interval : OutageInterval, stoppingToken);
                var wasReachable = reachability.IsReachable;
                await client.ProbeReachableAsync(ProbeTimeout, stoppingToken);
                if (wasReachable != reachability.IsReachable)
                {
                    if (reachability.IsReachable)
                    {
                        Log.Back(logger, client.Server);
                    }
                    else
                    {
                        Log.Lost(logger, client.Server, reachability.Problem ?? string.Empty);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A credential that cannot be read (token file, exec plugin) is not an outage; keep watching.
                Log.ProbeFailed(logger, client.Server, e.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1010, LogLevel.Warning, "The Kubernetes API at {Server} is unreachable: {Problem}")]
        public static partial void Lost(ILogger logger, Uri server, string problem);

        [LoggerMessage(1012, LogLevel.Warning, "Checking the Kubernetes API at {Server} failed: {Problem}")]
        public static partial void ProbeFailed(ILogger logger, Uri server, string problem);

        [LoggerMessage(1011, LogLevel.Information, "The Kubernetes API at {Server} answers again")]
        public static partial void Back(ILogger logger, Uri server);
    }
}
