using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Connectors.Modules.Observability;

/// <summary>Process-level gauges every role exposes: resident memory, CPU time, GC heap, start time.</summary>
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
        _meter.CreateObservableGauge("dotnet.gc.heap_size", () => GC.GetGCMemoryInfo().HeapSizeBytes, "By", "Managed heap size after the last garbage collection.");
        _meter.CreateObservableGauge("dotnet.thread_pool.threads", () => (long)ThreadPool.ThreadCount, null, "Thread pool threads.");
    }

    public void Dispose() => _meter.Dispose();

    private static long ReadResidentBytes()
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
