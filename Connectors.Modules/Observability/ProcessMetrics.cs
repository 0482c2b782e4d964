using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Connectors.Modules.Observability;

/// <summary>
/// The standard Prometheus process series every role exposes (resident memory, CPU time, start time), which the
/// runtime's own meter (exported too) names differently; GC and thread-pool series come from the runtime's meter.
/// </summary>
public sealed class ProcessMetrics : IDisposable
{
    private readonly Meter _meter = new("Connectors.Process");

    public ProcessMetrics(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var start = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        _meter.CreateObservableGauge("process.resident_memory", ReadResidentBytes, "By", "Resident set size of the process.");
        _meter.CreateObservableCounter("process.cpu", () => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, "s", "CPU time used by the process.");
        _meter.CreateObservableGauge("process.start_time", () => new DateTimeOffset(start).ToUnixTimeSeconds(), "s", "Start time of the process since the Unix epoch.");
    }

    public void Dispose() => _meter.Dispose();

    /// <summary>The process's resident set size in bytes: <c>/proc/self/statm</c> on Linux, the working set elsewhere.</summary>
    internal static long ReadResidentBytes()
    {
        // /proc/self/statm: size resident shared ... in pages (Linux); WorkingSet64 elsewhere.
        try
        {
            var fields = File.ReadAllText("/proc/self/statm").Split(' ');
            return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;
        }
        catch (IOException)
        {
            return Environment.WorkingSet;
        }
        catch (UnauthorizedAccessException)
        {
            return Environment.WorkingSet;
        }
    }
}
