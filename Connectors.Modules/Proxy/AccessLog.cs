using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Proxy;

/// <summary>
/// The access log: one line per request (and per refused or blind CONNECT) with connector, subject, method, host,
/// path without query, status, body bytes and duration. Never a token, password or Authorization value.
/// </summary>
internal sealed partial class AccessLog
{
    private AccessLog()
    {
    }

    [LoggerMessage(6001, LogLevel.Information,
        "{Connector} {Subject} {Method} {Host} {Path} {Status} in={BytesIn} out={BytesOut} {DurationMs:0.###}ms")]
    public static partial void Write(ILogger logger, string connector, string subject, string method, string host, string path, int status, long bytesIn, long bytesOut, double durationMs);
}
