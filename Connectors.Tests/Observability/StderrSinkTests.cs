using System.Text;
using Connectors.Modules.Observability;
using Microsoft.Extensions.Time.Testing;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace Connectors.Tests.Observability;

[TestFixture]
public sealed class StderrSinkTests
{
    private static readonly MessageTemplateTextFormatter Formatter = new("{Level:u3} {Message:lj}{NewLine}");

    [Test]
    public void Emit_InformationLine_IsBufferedThenFlushedAfterTheDelay()
    {
        // A fake clock: with the real 50 ms timer, a test thread descheduled for 50 ms between Emit and the first
        // assertion (a loaded CI machine) saw the batch already written.
        var clock = new FakeTimeProvider();
        var output = new MemoryStream();
        using var sink = new StderrSink(Formatter, output, clock);

        sink.Emit(Event(LogEventLevel.Information, "first"));
        clock.Advance(StderrSink.FlushDelay / 2);
        sink.Emit(Event(LogEventLevel.Information, "second"));
        clock.Advance(StderrSink.FlushDelay / 2 - TimeSpan.FromTicks(1));
        var beforeDelay = output.Length;
        clock.Advance(TimeSpan.FromTicks(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(beforeDelay, Is.Zero, "information lines wait for the batch");
            Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo("INF first\nINF second\n".ReplaceLineEndings()));
        }
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
    public void WriteOut_AfterABurst_TheGrownBufferIsNotKept()
    {
        // A burst (a 2 MiB line here; a flood of lines while stderr is slow) grows the buffer; idle memory must not keep it.
        var output = new MemoryStream();
        using var sink = new StderrSink(Formatter, output, new FakeTimeProvider());

        sink.WriteLine(new string('x', 2 * 1024 * 1024));
        sink.Emit(Event(LogEventLevel.Warning, "written at once"));
        sink.Emit(Event(LogEventLevel.Warning, "and again"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(output.Length, Is.GreaterThan(2 * 1024 * 1024));
            Assert.That(sink.RetainedBytes, Is.LessThanOrEqualTo(2 * StderrSink.KeepAtMost));
        }
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

    [Test]
    public void WriteLine_LinesAndEvents_AreWrittenInTheOrderLogged()
    {
        var output = new MemoryStream();
        using var sink = new StderrSink(Formatter, output);

        sink.WriteLine("{\"line\":1}");
        sink.Emit(Event(LogEventLevel.Information, "event"));
        sink.WriteLine("{\"line\":2}");
        sink.Emit(Event(LogEventLevel.Warning, "flushed"));

        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo("{\"line\":1}\nINF event\n{\"line\":2}\nWRN flushed\n".ReplaceLineEndings()));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task WriteLine_MoreThanFlushAtWaiting_IsWrittenByAnotherThreadBeforeTheDelay(CancellationToken cancellationToken)
    {
        // The clock never moves: only the size of the batch can get it written.
        var clock = new FakeTimeProvider();
        var output = new NotifyingStream();
        using var sink = new StderrSink(Formatter, output, clock);
        var line = new string('x', 1023);
        var loggingThread = Environment.CurrentManagedThreadId;

        for (var written = 0; written < StderrSink.FlushAt + (32 * 1024); written += line.Length + 1)
        {
            sink.WriteLine(line);
        }

        var writer = await output.FirstWrite.Task.WaitAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(writer, Is.Not.EqualTo(loggingThread), "the logging thread does not write");
            Assert.That(output.Length, Is.GreaterThanOrEqualTo(StderrSink.FlushAt));
        }
    }

    private static LogEvent Event(LogEventLevel level, string text) =>
        new(DateTimeOffset.UtcNow, level, null, new MessageTemplateParser().Parse(text), []);

    /// <summary>A memory stream that reports the thread of its first write.</summary>
    private sealed class NotifyingStream : MemoryStream
    {
        public TaskCompletionSource<int> FirstWrite { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Write(byte[] buffer, int offset, int count)
        {
            base.Write(buffer, offset, count);
            FirstWrite.TrySetResult(Environment.CurrentManagedThreadId);
        }
    }
}
