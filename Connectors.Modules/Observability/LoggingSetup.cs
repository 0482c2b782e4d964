using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Connectors.Modules.Observability;

/// <summary>
/// Builds the process's Serilog logger, on stderr: for machines, Serilog's compact JSON (CLEF: <c>@t</c>, <c>@mt</c>
/// the message template, <c>@l</c> when not Information, <c>SourceContext</c>, <c>EventId</c> and the message's
/// fields), which Seq, Loki and Elastic pipelines read as is; for people, one readable line. The template is written
/// instead of the rendered message: rendering it cost the proxy ~6 µs per access-log line (docs/benchmarks.md).
/// </summary>
public static class LoggingSetup
{
    private const string TextTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>Parses a level name (trace, debug, info, warn, error).</summary>
    /// <exception cref="FormatException">Unknown level.</exception>
    public static LogEventLevel ParseLevel(string level) => level.ToLowerInvariant() switch
    {
        "trace" or "verbose" => LogEventLevel.Verbose,
        "debug" => LogEventLevel.Debug,
        "info" or "information" => LogEventLevel.Information,
        "warn" or "warning" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        _ => throw new FormatException($"unknown log level \"{level}\": want trace, debug, info, warn or error"),
    };

    /// <summary>Whether <paramref name="format"/> means JSON output (<c>auto</c> = JSON unless stderr is a terminal).</summary>
    /// <exception cref="FormatException">Unknown format.</exception>
    public static bool IsJson(string format) => format.ToLowerInvariant() switch
    {
        "json" => true,
        "text" => false,
        "auto" => Console.IsErrorRedirected,
        _ => throw new FormatException($"unknown log format \"{format}\": want json or text"),
    };

    /// <summary>The logger for <paramref name="options"/>, writing to stderr (or <paramref name="sink"/>); <paramref name="include"/> may drop events.</summary>
    public static Serilog.Core.Logger Create(LoggingOptions options, TextWriter? sink = null, Func<LogEvent, bool>? include = null) =>
        Create(options, out _, sink, include);

    /// <summary>
    /// The logger, and with JSON output the sink it writes to, for callers that format their own JSON lines
    /// (<see cref="ILogLineSink"/>; they bypass <paramref name="include"/> and the enrichers); null with text output.
    /// </summary>
    internal static Serilog.Core.Logger Create(LoggingOptions options, out ILogLineSink? lines, TextWriter? sink = null, Func<LogEvent, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var level = ParseLevel(options.Level);
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", level < LogEventLevel.Warning ? LogEventLevel.Warning : level)
            .MinimumLevel.Override("System.Net.Http", level < LogEventLevel.Warning ? LogEventLevel.Warning : level)
            // Grpc.AspNetCore reports every status a CSI handler raises at information; the driver logs its own.
            .MinimumLevel.Override("Grpc", level < LogEventLevel.Warning ? LogEventLevel.Warning : level)
            // YARP's forwarder logs every upstream URL at information ("Proxying to ..."), query included: a credential
            // a class injects as a query parameter would be written there. The proxy writes its own access log.
            .MinimumLevel.Override("Yarp", level < LogEventLevel.Error ? LogEventLevel.Error : level)
            .Enrich.With<SecretRedactingEnricher>();
        if (include is not null)
        {
            configuration = configuration.Filter.ByIncludingOnly(include);
        }

        var json = IsJson(options.Format);
        var formatter = json
            ? (Serilog.Formatting.ITextFormatter)new CompactJsonFormatter()
            : new MessageTemplateTextFormatter(TextTemplate);
        Serilog.Core.ILogEventSink output = sink is null ? new StderrSink(formatter) : new TextWriterSink(formatter, sink);
        lines = json ? (ILogLineSink)output : null;
        return configuration.WriteTo.Sink(output).CreateLogger();
    }
}
