using System.Threading.Channels;
using Connectors.Modules.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Proxy;

/// <summary>
/// The access log: one line per request (and per refused or blind CONNECT) with connector, subject, method, host,
/// path without query, status, body bytes and duration — never a token, password or Authorization value. With JSON
/// logs (<see cref="ILogLineSink"/> registered) the request formats its line itself (<see cref="AccessLogLine"/>,
/// about a microsecond, the logger's exact output) into the log's buffer, whose output is written by another thread:
/// no log event, no queue, no thread woken per request. Otherwise lines are handed to one background writer through
/// a bounded queue; when the queue is full the request thread writes its line itself (nothing is dropped). Stopping
/// drains the queue after the listener has stopped.
/// </summary>
internal sealed partial class AccessLog : BackgroundService
{
    private readonly Channel<AccessEntry> _queue = Channel.CreateBounded<AccessEntry>(
        new BoundedChannelOptions(8192) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly ILogger _logger;
    private readonly bool _enabled;
    private readonly ILogLineSink? _lines;
    private readonly TimeProvider _timeProvider;

    public AccessLog(IOptions<ProxyOptions> options, ILoggerFactory loggerFactory, TimeProvider timeProvider, ILogLineSink? lines = null)
    {
        _logger = loggerFactory.CreateLogger<AccessLog>();
        _enabled = options.Value.AccessLog && _logger.IsEnabled(LogLevel.Information);
        _lines = lines;
        _timeProvider = timeProvider;
    }

    public void Record(in AccessEntry entry)
    {
        if (!_enabled)
        {
            return;
        }

        if (_lines is not null)
        {
            AccessLogLine.Write(entry, _timeProvider.GetUtcNow(), _lines, static (line, sink) => sink.WriteLine(line));
            return;
        }

        if (!_queue.Writer.TryWrite(entry))
        {
            Write(_logger, entry);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not cancelled by stoppingToken: the loop ends when StopAsync completes the queue and it is drained.
        await foreach (var entry in _queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            Write(_logger, entry);
        }
    }

    private static void Write(ILogger logger, in AccessEntry e) =>
        Line(logger, e.Connector, e.Subject, e.Method, e.Host, e.Path, e.Status, e.BytesIn, e.BytesOut, e.DurationMs);

    // The template and id are AccessLogLine's (a test holds them equal).
    [LoggerMessage(6001, LogLevel.Information,
        "{Connector} {Subject} {Method} {Host} {Path} {Status} in={BytesIn} out={BytesOut} {DurationMs:0.###}ms")]
    private static partial void Line(ILogger logger, string connector, string subject, string method, string host, string path, int status, long bytesIn, long bytesOut, double durationMs);
}

/// <summary>One access-log line's fields.</summary>
internal readonly record struct AccessEntry(
    string Connector, string Subject, string Method, string Host, string Path, int Status, long BytesIn, long BytesOut, double DurationMs);
