using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Kube;

/// <summary>
/// At start, builds the client (a malformed kubeconfig fails here) and asks the server for <c>/api</c> (discovery) with the
/// configured credentials, so an unreachable server or a rejected token ends the process with one clear line.
/// </summary>
internal sealed partial class KubeStartupCheck(IServiceProvider services, IOptions<KubeOptions> options, TimeProvider timeProvider, ILogger<KubeStartupCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var client = (KubeClient)services.GetService(typeof(KubeClient))!;
        if (!options.Value.VerifyOnStart)
        {
            return;
        }

        await VerifyAsync(client, options.Value.StartupTimeout, timeProvider, cancellationToken);
        Log.Connected(logger, client.Server, client.Source);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <exception cref="KubeConfigException">The server stays unreachable for <paramref name="timeout"/>, or rejects the credentials.</exception>
    internal static async Task VerifyAsync(KubeClient client, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + timeout;
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            var result = await client.GetRawAsync("/api", cancellationToken);
            switch (result.Outcome)
            {
                case KubeOutcome.Ok or KubeOutcome.Forbidden or KubeOutcome.NotFound:
                    return;
                case KubeOutcome.Unauthorized:
                    throw new KubeConfigException($"the Kubernetes API at {client.Server} rejected the credentials of {client.Source} (401 Unauthorized: expired or invalid token?)");
                case KubeOutcome.Transient when timeProvider.GetUtcNow() + delay < deadline:
                    await Task.Delay(delay, timeProvider, cancellationToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
                    break;
                default:
                    throw new KubeConfigException($"the Kubernetes API at {client.Server} ({client.Source}) is not usable: {result.Message}");
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1002, LogLevel.Information, "Kubernetes API {Server} answers ({Source})")]
        public static partial void Connected(ILogger logger, Uri server, string source);
    }
}
