using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Connectors.Modules.Observability;

/// <summary>Writes formatted events to a <see cref="TextWriter"/> (tests capture logs with it).</summary>
internal sealed class TextWriterSink(ITextFormatter formatter, TextWriter writer) : ILogEventSink, ILogLineSink
{
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            formatter.Format(logEvent, writer);
            writer.Flush();
        }
    }

    public void WriteLine(ReadOnlySpan<char> line)
    {
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
