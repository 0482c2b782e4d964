using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Connectors.Modules.Observability;
using Connectors.Modules.Proxy;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace Connectors.Tests.Proxy;

[TestFixture]
public sealed class AccessLogLineTests
{
    private static readonly AccessEntry Plain = new("bench/origin", "system:serviceaccount:bench:client", "GET", "c-origin.bench.svc", "/", 200, 0, 3, 1.23456789);

    private static readonly AccessEntry[] Entries =
    [
        Plain,
        Plain with { Connector = "-", Subject = "-", Status = 499, BytesIn = long.MaxValue, BytesOut = 0, DurationMs = 0 },
        Plain with { Path = "/a \"quoted\" \\path\\ with\ttab\r\nand\fff\b\u0001\u001f\u007f", Method = "PROPFIND" },
        Plain with { Path = "/caf\u00e9/\u65e5\u672c/\U0001F600/\ud800lone", Host = "h\u00f6st:8080" },
        Plain with { Status = 502, BytesIn = 1L << 40, BytesOut = 123456789, DurationMs = 30000.0005 },
        Plain with { DurationMs = 1e-9 },
        Plain with { DurationMs = 12345678.9 },
        Plain with { DurationMs = double.NaN },
        Plain with { DurationMs = double.PositiveInfinity },
    ];

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    [TestCase(6)]
    [TestCase(7)]
    [TestCase(8)]
    public void Format_AnyEntry_IsByteForByteTheJsonLoggersLine(int index)
    {
        var entry = Entries[index];
        // The line the logger writes for AccessLog's [LoggerMessage] (Serilog's compact JSON through the process's
        // logging setup), encoded as stderr encodes it.
        var expected = LoggedLine(entry);
        var timestamp = DateTimeOffset.ParseExact(JsonNode.Parse(expected)!["@t"]!.GetValue<string>(), "O", CultureInfo.InvariantCulture);

        var actual = AccessLogLine.Format(entry, timestamp);

        Assert.That(Encoding.UTF8.GetBytes(actual), Is.EqualTo(Encoding.UTF8.GetBytes(expected)), $"expected {expected}\nactual   {actual}");
    }

    [Test]
    public void Format_LongFields_GrowsTheBufferAndStaysExact()
    {
        var entry = Plain with { Path = "/" + new string('p', 5000) + "\"", Subject = new string('s', 3000) };
        var expected = LoggedLine(entry);
        var timestamp = DateTimeOffset.ParseExact(JsonNode.Parse(expected)!["@t"]!.GetValue<string>(), "O", CultureInfo.InvariantCulture);

        Assert.That(AccessLogLine.Format(entry, timestamp), Is.EqualTo(expected));
    }

    [Test]
    public void Template_IsTheLoggerMessageOfAccessLog()
    {
        var line = typeof(AccessLog).GetMethod("Line", BindingFlags.NonPublic | BindingFlags.Static)!.GetCustomAttribute<LoggerMessageAttribute>()!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(line.Message, Is.EqualTo(AccessLogLine.Template));
            Assert.That(line.EventId, Is.EqualTo(AccessLogLine.EventId));
        }
    }

    [Test]
    public void Create_JsonFormat_LinesAndEventsShareTheOutputInOrder()
    {
        var sink = new StringWriter();
        using (var logger = LoggingSetup.Create(new LoggingOptions { Format = "json", Level = "info" }, out var lines, sink))
        {
            using var factory = new SerilogLoggerFactory(logger);
            lines!.WriteLine("{\"first\":1}");
            LogThroughLogger(factory, Plain);
            lines.WriteLine("{\"last\":2}");
        }

        var written = sink.ToString().TrimEnd('\n').Split('\n');
        Assert.That(written.Select(l => JsonNode.Parse(l)!.AsObject().First().Key), Is.EqualTo(new[] { "first", "@t", "last" }));
    }

    [Test]
    public void Create_TextFormat_HasNoLineSink()
    {
        using var logger = LoggingSetup.Create(new LoggingOptions { Format = "text", Level = "info" }, out var lines, new StringWriter());

        Assert.That(lines, Is.Null);
    }

    /// <summary>AccessLog's own logger path (its [LoggerMessage]), as the text format still uses.</summary>
    private static void LogThroughLogger(ILoggerFactory factory, AccessEntry entry) =>
        typeof(AccessLog).GetMethod("Write", BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, [factory.CreateLogger<AccessLog>(), entry]);

    private static string LoggedLine(AccessEntry entry)
    {
        var sink = new StringWriter();
        using (var logger = LoggingSetup.Create(new LoggingOptions { Format = "json", Level = "info" }, sink))
        {
            using var factory = new SerilogLoggerFactory(logger);
            LogThroughLogger(factory, entry);
        }

        // Through UTF-8 as the stderr writer encodes (a lone surrogate becomes U+FFFD on both paths).
        return Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(sink.ToString())).TrimEnd('\n');
    }
}
