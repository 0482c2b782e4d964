using Connectors.Modules.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Kube;

/// <summary>
/// Leader election on a coordination.k8s.io Lease, with client-go's rules: a candidate takes the Lease when its
/// holder has not renewed it for the lease duration; the leader renews every retry period and gives up leadership
/// when it cannot renew within the renew deadline, or sees another holder. Losing the Lease cancels the leader's
/// work at once; stopping releases the Lease so another instance takes over without waiting for it to expire.
/// </summary>
public sealed partial class LeaderElector
{
    private readonly LeaseLock _lock;
    private readonly LeaderElectionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private volatile bool _isLeader;

    public LeaderElector(KubeClient client, IOptions<KubeOptions> options, TimeProvider timeProvider, ILogger<LeaderElector> logger)
        : this(client, options?.Value.LeaderElection ?? throw new ArgumentNullException(nameof(options)), timeProvider, logger)
    {
    }

    internal LeaderElector(KubeClient client, LeaderElectionOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        Identity = string.IsNullOrEmpty(options.Identity) ? $"{Environment.MachineName}_{Guid.NewGuid():N}" : options.Identity;
        var ns = string.IsNullOrEmpty(options.LeaseNamespace) ? WellKnown.DefaultComponentsNamespace : options.LeaseNamespace;
        _lock = new LeaseLock(client, ns, options.LeaseName, Identity, options.LeaseDuration, timeProvider);
        KubeMetrics.TrackElector(_lock.Describe, () => _isLeader);
    }

    /// <summary>The holder identity this instance writes into the Lease.</summary>
    public string Identity { get; }

    /// <summary>True while this instance holds the Lease and its work runs.</summary>
    public bool IsLeader => _isLeader;

    /// <summary>
    /// Campaigns for the Lease until <paramref name="cancellationToken"/> fires. Each time leadership is won,
    /// <paramref name="onStartedLeading"/> runs with a token that is cancelled as soon as leadership is lost.
    /// </summary>
    /// <exception cref="Exception">Whatever <paramref name="onStartedLeading"/> throws, after the Lease is released.</exception>
    public async Task RunAsync(Func<CancellationToken, Task> onStartedLeading, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onStartedLeading);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await AcquireAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            await LeadAsync(onStartedLeading, cancellationToken);
        }
    }

    private async Task AcquireAsync(CancellationToken cancellationToken)
    {
        Log.Campaigning(_logger, _lock.Describe, Identity);
        string? reported = null;
        while (!await _lock.TryAcquireOrRenewAsync(_options.RenewDeadline, cancellationToken))
        {
            if (_lock.LastError is { } error && error != reported)
            {
                Log.AcquireFailed(_logger, _lock.Describe, error);
                reported = error;
            }

            await Task.Delay(Jittered(_options.RetryPeriod), _timeProvider, cancellationToken);
        }
    }

    private async Task LeadAsync(Func<CancellationToken, Task> onStartedLeading, CancellationToken cancellationToken)
    {
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _isLeader = true;
        Log.Acquired(_logger, _lock.Describe, Identity);
        var work = Task.Run(() => onStartedLeading(leading.Token), CancellationToken.None);
        try
        {
            await RenewUntilLostAsync(work, cancellationToken);
        }
        finally
        {
            _isLeader = false;
            await leading.CancelAsync();
            try
            {
                await work;
            }
            catch (OperationCanceledException) when (leading.IsCancellationRequested)
            {
                // The work stopped because leadership ended, as it should.
            }
            finally
            {
                if (cancellationToken.IsCancellationRequested || work.IsFaulted)
                {
                    await _lock.ReleaseAsync();
                    Log.Released(_logger, _lock.Describe, Identity);
                }
            }
        }
    }

    private async Task RenewUntilLostAsync(Task work, CancellationToken cancellationToken)
    {
        var lastRenew = _timeProvider.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested && !work.IsFaulted)
        {
            try
            {
                var pause = Task.Delay(_options.RetryPeriod, _timeProvider, cancellationToken);
                await (work.IsCompleted ? pause : Task.WhenAny(work, pause));
                if (cancellationToken.IsCancellationRequested || work.IsFaulted)
                {
                    return;
                }

                var remaining = _options.RenewDeadline - (_timeProvider.GetUtcNow() - lastRenew);
                if (remaining > TimeSpan.Zero && await _lock.TryAcquireOrRenewAsync(remaining, cancellationToken))
                {
                    lastRenew = _timeProvider.GetUtcNow();
                    continue;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (_lock.HeldByOther || _timeProvider.GetUtcNow() - lastRenew >= _options.RenewDeadline)
            {
                Log.Lost(_logger, _lock.Describe, Identity, _lock.ObservedHolder ?? "nobody");
                return;
            }
        }
    }

    /// <summary>client-go's wait.Jitter with factor 1.2: a delay between d and 2.2 d.</summary>
    private static TimeSpan Jittered(TimeSpan delay) => delay + (delay * (1.2 * Random.Shared.NextDouble()));

    private static partial class Log
    {
        [LoggerMessage(1101, LogLevel.Information, "Waiting to lead on Lease {Lease} as {Identity}")]
        public static partial void Campaigning(ILogger logger, string lease, string identity);

        [LoggerMessage(1102, LogLevel.Information, "Leading on Lease {Lease} as {Identity}")]
        public static partial void Acquired(ILogger logger, string lease, string identity);

        [LoggerMessage(1103, LogLevel.Warning, "Lost Lease {Lease} as {Identity}; holder is now {Holder}; leader work stopped")]
        public static partial void Lost(ILogger logger, string lease, string identity, string holder);

        [LoggerMessage(1105, LogLevel.Warning, "Cannot acquire Lease {Lease}: {Error}")]
        public static partial void AcquireFailed(ILogger logger, string lease, string error);

        [LoggerMessage(1104, LogLevel.Information, "Released Lease {Lease} held as {Identity}")]
        public static partial void Released(ILogger logger, string lease, string identity);
    }
}
