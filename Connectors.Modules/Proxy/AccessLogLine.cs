using System.Buffers;
using System.Globalization;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Formats one access-log line as the JSON logger writes it (Serilog's compact JSON for <see cref="AccessLog"/>'s
/// message: <c>@t</c>, <c>@mt</c>, <c>@r</c> with the duration as the template renders it, the fields, <c>EventId</c>,
/// <c>SourceContext</c>), character for character, without building a log event: the proxy writes one per request.
/// Strings are escaped as that formatter escapes them (quote, backslash and control characters only).
/// </summary>
internal static class AccessLogLine
{
    /// <summary>The message template; the text of <see cref="AccessLog"/>'s <c>[LoggerMessage]</c> (a test holds them equal).</summary>
    public const string Template = "{Connector} {Subject} {Method} {Host} {Path} {Status} in={BytesIn} out={BytesOut} {DurationMs:0.###}ms";

    public const int EventId = 6001;

    private const string Head = "{\"@t\":\"";

    // The constant middle of the line: the template, as a JSON string, and the opening of the rendered duration.
    private const string AfterTimestamp =
        "\",\"@mt\":\"{Connector} {Subject} {Method} {Host} {Path} {Status} in={BytesIn} out={BytesOut} {DurationMs:0.###}ms\",\"@r\":[\"";

    private const string Tail = ",\"EventId\":{\"Id\":6001,\"Name\":\"Line\"},\"SourceContext\":\"Connectors.Modules.Proxy.AccessLog\"}";

    private static readonly SearchValues<char> Special = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\");

    [ThreadStatic]
    private static char[]? _threadBuffer;

    /// <summary>Formats <paramref name="entry"/> logged at <paramref name="timestamp"/> and hands the line to <paramref name="write"/>.</summary>
    public static void Write<TState>(in AccessEntry entry, DateTimeOffset timestamp, TState state, SpanAction<char, TState> write)
    {
        var buffer = _threadBuffer ??= new char[1024];
        int length;
        while (!TryFormat(entry, timestamp, buffer, out length))
        {
            buffer = _threadBuffer = new char[buffer.Length * 2];
        }

        write(buffer.AsSpan(0, length), state);
    }

    /// <summary>The line for <paramref name="entry"/>, without line break (tests compare it with the logger's).</summary>
    public static string Format(in AccessEntry entry, DateTimeOffset timestamp)
    {
        string? line = null;
        Write(entry, timestamp, 0, (span, _) => line = span.ToString());
        return line!;
    }

    private static bool TryFormat(in AccessEntry e, DateTimeOffset timestamp, Span<char> buffer, out int length)
    {
        var w = new Writer(buffer);
        var ok = w.Raw(Head) && w.Formatted(timestamp.UtcDateTime, "O") && w.Raw(AfterTimestamp)
            && w.Formatted(e.DurationMs, "0.###") && w.Raw("\"]")
            && w.Property("Connector") && w.Quoted(e.Connector)
            && w.Property("Subject") && w.Quoted(e.Subject)
            && w.Property("Method") && w.Quoted(e.Method)
            && w.Property("Host") && w.Quoted(e.Host)
            && w.Property("Path") && w.Quoted(e.Path)
            && w.Property("Status") && w.Formatted(e.Status, null)
            && w.Property("BytesIn") && w.Formatted(e.BytesIn, null)
            && w.Property("BytesOut") && w.Formatted(e.BytesOut, null)
            && w.Property("DurationMs") && w.Number(e.DurationMs)
            && w.Raw(Tail);
        length = w.Length;
        return ok;
    }

    private ref struct Writer(Span<char> buffer)
    {
        private readonly Span<char> _buffer = buffer;

        public int Length { get; private set; }

        public bool Raw(ReadOnlySpan<char> text)
        {
            if (!text.TryCopyTo(_buffer[Length..]))
            {
                return false;
            }

            Length += text.Length;
            return true;
        }

        public bool Property(string name) => Raw(",\"") && Raw(name) && Raw("\":");

        public bool Formatted<T>(T value, string? format)
            where T : ISpanFormattable
        {
            if (!value.TryFormat(_buffer[Length..], out var written, format, CultureInfo.InvariantCulture))
            {
                return false;
            }

            Length += written;
            return true;
        }

        /// <summary>A double as the JSON formatter writes one: round-trip digits, or a string for NaN and infinities.</summary>
        public bool Number(double value) =>
            double.IsFinite(value) ? Formatted(value, "R") : Quoted(value.ToString(CultureInfo.InvariantCulture));

        public bool Quoted(string value) => Raw("\"") && Escaped(value) && Raw("\"");

        /// <summary>Quote and backslash escaped with a backslash; control characters as \n, \r, \f, \t or \uXXXX; the rest as is.</summary>
        public bool Escaped(ReadOnlySpan<char> value)
        {
            while (value.Length > 0)
            {
                var special = value.IndexOfAny(Special);
                if (special < 0)
                {
                    return Raw(value);
                }

                if (!Raw(value[..special]) || !Escape(value[special]))
                {
                    return false;
                }

                value = value[(special + 1)..];
            }

            return true;
        }

        private bool Escape(char c) => c switch
        {
            '"' => Raw("\\\""),
            '\\' => Raw("\\\\"),
            '\n' => Raw("\\n"),
            '\r' => Raw("\\r"),
            '\f' => Raw("\\f"),
            '\t' => Raw("\\t"),
            _ => Raw("\\u") && Formatted((int)c, "X4"),
        };
    }
}
