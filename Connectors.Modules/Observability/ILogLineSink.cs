namespace Connectors.Modules.Observability;

/// <summary>
/// Where a caller that formats its own log line (the proxy's access log in JSON) writes it: the same output, order
/// and batching as the process's other log events, without building a log event. Registered only for JSON output.
/// </summary>
internal interface ILogLineSink
{
    /// <summary>Writes <paramref name="line"/> (one JSON object, no line break) and a line break.</summary>
    void WriteLine(ReadOnlySpan<char> line);
}
