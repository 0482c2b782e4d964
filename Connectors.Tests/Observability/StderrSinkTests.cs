using System.Text;
using Connectors.Modules.Observability;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace Connectors.Tests.Observability;

[TestFixture]
public sealed class StderrSinkTests
{
    private static readonly MessageTemplateTextFormatter Formatter = new("{Level:u3} {Message:lj}{NewLine}");

    [Test]
    public void Emit_InformationLine_IsBufferedThenFlushedWithinTheDelay()
    {
        var output = new MemoryStream();
        using var sink = new StderrSink(Formatter, output);

        sink.Emit(Event(LogEventLevel.Information, "first"));
        sink.Emit(Event(LogEventLevel.Information, "second"));
        Assert.That(output.Length, Is.Zero, "information lines wait for the batch");

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (output.Length == 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo("INF first\nINF second\n".ReplaceLineEndings()));
    }

    [Test]
    public void Emit_Warning_FlushesAtOnceWithTheLinesBeforeIt()
    {
        var output = new MemoryStream();
        using var sink = new StderrSink(Formatter, output);

        sink.Emit(Event(LogEventLevel.Information, "before"));
        sink.Emit(Event(LogEventLevel.Warning, "problem"));

        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo("INF before\nWRN problem\n".ReplaceLineEndings()));
    }

    [Test]
    public void Dispose_PendingLines_AreWrittenAndLaterEventsIgnored()
    {
        var output = new MemoryStream();
        var sink = new StderrSink(Formatter, output);
        sink.Emit(Event(LogEventLevel.Information, "last words"));

        sink.Dispose();
        sink.Emit(Event(LogEventLevel.Error, "after the end"));

        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo("INF last words\n".ReplaceLineEndings()));
    }

    private static LogEvent Event(LogEventLevel level, string text) =>
        new(DateTimeOffset.UtcNow, level, null, new MessageTemplateParser().Parse(text), []);
}
