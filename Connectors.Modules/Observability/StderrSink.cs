using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Connectors.Modules.Observability;

/// <summary>
/// Writes formatted events to standard error through one buffer. Warnings and errors are flushed at once (with
/// everything before them); other lines within <see cref="FlushDelay"/>, so a busy proxy's access log costs a
/// write call per batch instead of per line. Disposing flushes what is left.
/// </summary>
internal sealed class StderrSink : ILogEventSink, IDisposable
{
    /// <summary>How long an information line may wait in the buffer.</summary>
    public static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(50);

    private readonly Lock _gate = new();
    private readonly ITextFormatter _formatter;
    private readonly TextWriter _writer;
    private readonly ITimer _timer;
    private bool _pending;
    private bool _disposed;

    /// <param name="formatter">Formats each event.</param>
    /// <param name="output">Where lines go; standard error when null.</param>
    /// <param name="timeProvider">The clock of the flush delay; the system's when null (tests pass a fake one).</param>
    public StderrSink(ITextFormatter formatter, Stream? output = null, TimeProvider? timeProvider = null)
    {
        _formatter = formatter;
        _writer = new StreamWriter(output ?? Console.OpenStandardError(), new UTF8Encoding(false), 16 * 1024) { AutoFlush = false };
        _timer = (timeProvider ?? TimeProvider.System).CreateTimer(
            static state => ((StderrSink)state!).FlushPending(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _formatter.Format(logEvent, _writer);
            if (logEvent.Level >= LogEventLevel.Warning)
            {
                Flush();
            }
            else if (!_pending)
            {
                _pending = true;
                _timer.Change(FlushDelay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Flush();
        }

        _timer.Dispose();
        _writer.Dispose();
    }

    private void FlushPending()
    {
        lock (_gate)
        {
            if (_pending && !_disposed)
            {
                Flush();
            }
        }
    }

    private void Flush()
    {
        _pending = false;
        try
        {
            _writer.Flush();
        }
        catch (IOException)
        {
            // stderr is gone (closed pipe): logging must never take the process down.
        }
    }
}
