using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Connectors.Modules.Observability;

/// <summary>
/// Writes formatted events (and lines formatted by their callers, <see cref="ILogLineSink"/>) to standard error
/// through a memory buffer. Warnings and errors are written at once (with everything before them); other lines
/// within <see cref="FlushDelay"/>, or as soon as <see cref="FlushAt"/> bytes wait, by a thread-pool thread: a busy
/// proxy's access log costs one write call per batch, and the thread that logged never waits for the output unless
/// <see cref="BlockAt"/> bytes are already waiting (the output is stuck: nothing is dropped, the logger waits).
/// Disposing writes what is left.
/// </summary>
internal sealed class StderrSink : ILogEventSink, ILogLineSink, IDisposable
{
    /// <summary>How long an information line may wait in the buffer.</summary>
    public static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>Bytes waiting that make a thread-pool thread write them without waiting for the delay.</summary>
    internal const int FlushAt = 64 * 1024;

    /// <summary>Bytes waiting that make the logging thread itself wait for the output.</summary>
    internal const int BlockAt = 4 * 1024 * 1024;

    /// <summary>The largest buffer kept for the next batch: one grown by a burst goes back to the allocator.</summary>
    internal const int KeepAtMost = 4 * FlushAt;

    private readonly Lock _gate = new();
    private readonly Lock _outputGate = new();
    private readonly ITextFormatter _formatter;
    private readonly Stream _output;
    private readonly PendingOutput _pending = new();
    private readonly StreamWriter _writer;
    private readonly ITimer _timer;
    private byte[] _spare = new byte[FlushAt];
    private bool _timerArmed;
    private bool _flushQueued;
    private bool _disposed;
    private bool _closed;

    /// <param name="formatter">Formats each event.</param>
    /// <param name="output">Where lines go; standard error when null.</param>
    /// <param name="timeProvider">The clock of the flush delay; the system's when null (tests pass a fake one).</param>
    public StderrSink(ITextFormatter formatter, Stream? output = null, TimeProvider? timeProvider = null)
    {
        _formatter = formatter;
        _output = output ?? Console.OpenStandardError();
        _writer = new StreamWriter(_pending, new UTF8Encoding(false), 16 * 1024) { AutoFlush = false };
        _timer = (timeProvider ?? TimeProvider.System).CreateTimer(
            static state => ((StderrSink)state!).WriteOut(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        bool now;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _formatter.Format(logEvent, _writer);
            now = Buffered(logEvent.Level >= LogEventLevel.Warning);
        }

        if (now)
        {
            WriteOut();
        }
    }

    public void WriteLine(ReadOnlySpan<char> line)
    {
        bool now;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _writer.WriteLine(line);
            now = Buffered(false);
        }

        if (now)
        {
            WriteOut();
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
        }

        WriteOut();
        _timer.Dispose();
        lock (_outputGate)
        {
            lock (_gate)
            {
                _closed = true;
                _writer.Dispose();
            }

            _output.Dispose();
        }
    }

    /// <summary>Called under the gate after a line was added: true when the caller must write the buffer out itself.</summary>
    private bool Buffered(bool urgent)
    {
        if (urgent || _pending.Length >= BlockAt)
        {
            return true;
        }

        if (_pending.Length >= FlushAt)
        {
            if (!_flushQueued)
            {
                _flushQueued = true;
                ThreadPool.UnsafeQueueUserWorkItem(static sink => sink.WriteOut(), this, preferLocal: false);
            }
        }
        else if (!_timerArmed)
        {
            _timerArmed = true;
            _timer.Change(FlushDelay, Timeout.InfiniteTimeSpan);
        }

        return false;
    }

    /// <summary>Writes everything buffered, outside the gate (loggers keep adding meanwhile), in the order it was added.</summary>
    private void WriteOut()
    {
        lock (_outputGate)
        {
            byte[] bytes;
            int length;
            lock (_gate)
            {
                if (_closed)
                {
                    return;
                }

                _writer.Flush();
                bytes = _pending.Swap(_spare, out length);
                _timerArmed = false;
                _flushQueued = false;
            }

            try
            {
                if (length > 0)
                {
                    _output.Write(bytes, 0, length);
                    _output.Flush();
                }
            }
            catch (IOException)
            {
                // stderr is gone (closed pipe): logging must never take the process down.
            }

            _spare = bytes.Length > KeepAtMost ? new byte[FlushAt] : bytes;
        }
    }

    /// <summary>The bytes the two buffers hold on to (tests: a burst's buffer is not kept).</summary>
    internal long RetainedBytes
    {
        get
        {
            lock (_outputGate)
            {
                lock (_gate)
                {
                    return _spare.Length + _pending.Capacity;
                }
            }
        }
    }
}
