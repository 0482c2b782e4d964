using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Json;

namespace Connectors.Modules.Observability;

/// <summary>
/// One JSON object per line: <c>time</c>, <c>level</c>, <c>logger</c>, <c>msg</c> (rendered), <c>event</c> (id),
/// the message properties at top level, and <c>error</c> with the exception text.
/// </summary>
internal sealed class CompactJsonFormatter : ITextFormatter
{
    private static readonly JsonValueFormatter ValueFormatter = new(typeTagName: null);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        output.Write("{\"time\":\"");
        output.Write(logEvent.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        output.Write("\",\"level\":\"");
        output.Write(LevelName(logEvent.Level));
        output.Write('"');
        if (logEvent.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: string logger })
        {
            output.Write(",\"logger\":");
            JsonValueFormatter.WriteQuotedJsonString(logger, output);
        }

        output.Write(",\"msg\":");
        JsonValueFormatter.WriteQuotedJsonString(logEvent.RenderMessage(), output);
        foreach (var (name, value) in logEvent.Properties)
        {
            if (name is "SourceContext" or "time" or "level" or "msg" or "logger" or "error")
            {
                continue;
            }

            output.Write(',');
            JsonValueFormatter.WriteQuotedJsonString(name == "EventId" ? "event" : name, output);
            output.Write(':');
            if (name == "EventId" && value is StructureValue structure && structure.Properties.FirstOrDefault(p => p.Name == "Id") is { } id)
            {
                ValueFormatter.Format(id.Value, output);
            }
            else
            {
                ValueFormatter.Format(value, output);
            }
        }

        if (logEvent.Exception is not null)
        {
            output.Write(",\"error\":");
            JsonValueFormatter.WriteQuotedJsonString(logEvent.Exception.ToString(), output);
        }

        output.Write("}\n");
    }

    private static string LevelName(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "trace",
        LogEventLevel.Debug => "debug",
        LogEventLevel.Information => "info",
        LogEventLevel.Warning => "warn",
        LogEventLevel.Error => "error",
        _ => "fatal",
    };
}
