using Connectors.Modules.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Csi;

/// <summary>
/// Once the driver is ready (every readiness check passes: caches synced, socket listening) and has settled, hands
/// back the memory start-up used and idle does not need: the garbage collector's free space, glibc's free heap tops
/// and the resident pages of the executable and the libraries that fault-around and readahead brought in
/// (<see cref="FilePageReleaser"/>). Again each time volume calls went quiet for <see cref="Quiet"/> after a burst,
/// and every <see cref="Period"/> while idle (watch reconnects, TLS handshakes and probes touch pages back in).
/// <c>--csi-release-idle-memory=false</c> turns it off. What the kernel or the C library refuses is logged at debug
/// and otherwise ignored.
/// </summary>
internal sealed partial class IdleMemoryReleaser(
    IEnumerable<IReadinessCheck> checks, CsiMetrics metrics, IOptions<CsiOptions> options, TimeProvider timeProvider, ILogger<IdleMemoryReleaser> logger)
    : BackgroundService
{
    /// <summary>How long no NodePublishVolume or NodeUnpublishVolume must have come before a release after calls (seen within <see cref="Look"/>).</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMinutes(1);

    /// <summary>How often the count of volume calls is looked at once the first release ran.</summary>
    public static readonly TimeSpan Look = TimeSpan.FromSeconds(10);

    /// <summary>Longest time between two releases while the driver stays quiet.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(5);

    /// <summary>How often readiness is looked at before the release.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>How long after readiness the release waits, for start-up's last work (first watch events, timers) to end.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    private readonly IReadinessCheck[] _checks = [.. checks];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _releases;

    /// <summary>Completes once the first release ran, or at once when it is off or not on Linux.</summary>
    public Task Done => _done.Task;

    /// <summary>What the last file-page release did; null until one ran.</summary>
    public FilePageRelease? LastRelease { get; private set; }

    /// <summary>Releases so far.</summary>
    public int Releases => Volatile.Read(ref _releases);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (!options.Value.ReleaseIdleMemory || !OperatingSystem.IsLinux())
            {
                return;
            }

            while (!_checks.All(c => c.IsReady))
            {
                await Task.Delay(Poll, timeProvider, stoppingToken);
            }

            await Task.Delay(Settle, timeProvider, stoppingToken);
            ReleaseAndCount();
        }
        finally
        {
            _done.TrySetResult();
        }

        await ReleaseWhenQuietAsync(stoppingToken);
    }

    /// <summary>
    /// Looks every <see cref="Look"/>: releases once no volume call came for <see cref="Quiet"/>, if calls came since
    /// the last release or <see cref="Period"/> passed since it.
    /// </summary>
    private async Task ReleaseWhenQuietAsync(CancellationToken stoppingToken)
    {
        var releasedAt = timeProvider.GetTimestamp();
        var callsAtRelease = metrics.VolumeCalls;
        var calls = callsAtRelease;
        var lastCallSeen = releasedAt;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(Look, timeProvider, stoppingToken);
            if (metrics.VolumeCalls is var now && now != calls)
            {
                calls = now;
                lastCallSeen = timeProvider.GetTimestamp();
            }

            if (timeProvider.GetElapsedTime(lastCallSeen) >= Quiet
                && (calls != callsAtRelease || timeProvider.GetElapsedTime(releasedAt) >= Period))
            {
                ReleaseAndCount();
                releasedAt = timeProvider.GetTimestamp();
                callsAtRelease = calls;
            }
        }
    }

    private void ReleaseAndCount()
    {
        LastRelease = Release();
        Interlocked.Increment(ref _releases);
    }

    /// <summary>Releases now and logs what it did.</summary>
    /// <returns>What the file-page release did (empty when it failed).</returns>
    public FilePageRelease Release()
    {
        try
        {
            var started = timeProvider.GetTimestamp();
            var before = FilePageReleaser.ResidentBytes();
            // Aggressive: a blocking, compacting full collection that also decommits the free space it leaves.
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            if (!FilePageReleaser.TrimMalloc())
            {
                Log.NoMallocTrim(logger);
            }

            var files = FilePageReleaser.Release(FilePageReleaser.LoadedCode(SmapsParser.ReadSelf()), FilePageReleaser.Unmap);
            if (files.Failures > 0)
            {
                Log.AdviceRefused(logger, files.Failures, files.LastErrno, NativeMethods.ErrorMessage(files.LastErrno));
            }

            Log.Released(logger, ToMiB(before), ToMiB(FilePageReleaser.ResidentBytes()), files.Mappings, ToMiB(files.ResidentBytes),
                Math.Round(timeProvider.GetElapsedTime(started).TotalMilliseconds, 1));
            return files;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or DllNotFoundException or EntryPointNotFoundException)
        {
            Log.Failed(logger, e.Message);
            return default;
        }
    }

    private static double ToMiB(long bytes) => Math.Round(bytes / 1048576.0, 1);

    private static partial class Log
    {
        [LoggerMessage(7020, LogLevel.Debug, "Released idle memory in {Milliseconds} ms: resident {BeforeMiB} MiB -> {AfterMiB} MiB ({Mappings} file mappings unmapped, {FileMiB} MiB of them resident)")]
        public static partial void Released(ILogger logger, double beforeMiB, double afterMiB, int mappings, double fileMiB, double milliseconds);

        [LoggerMessage(7021, LogLevel.Debug, "madvise refused {Failures} mappings (last: errno {Errno}, {Error}); they stay resident")]
        public static partial void AdviceRefused(ILogger logger, int failures, int errno, string error);

        [LoggerMessage(7022, LogLevel.Debug, "No malloc_trim in this C library; its heaps keep their free tops")]
        public static partial void NoMallocTrim(ILogger logger);

        [LoggerMessage(7023, LogLevel.Debug, "Idle memory release failed: {Error}")]
        public static partial void Failed(ILogger logger, string error);
    }
}
