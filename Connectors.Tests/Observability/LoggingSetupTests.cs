using System.Text.Json.Nodes;
using Connectors.Modules.Observability;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace Connectors.Tests.Observability;

[TestFixture]
public sealed partial class LoggingSetupTests
{
    [LoggerMessage(9901, LogLevel.Information, "Reconciled {Connector} in {Milliseconds} ms")]
    private static partial void Reconciled(ILogger logger, string connector, int milliseconds);

    [LoggerMessage(9902, LogLevel.Warning, "Sending {Authorization} with {Token} to {Host} for {SecretName}")]
    private static partial void Sending(ILogger logger, string authorization, string token, string host, string secretName);

    [TestCase("info")]
    [TestCase("debug")]
    public void Create_YarpForwarderInformation_IsNotWritten(string level)
    {
        // YARP logs "Proxying to <upstream URL>" with the query at information: a query-injected credential.
        var sink = new StringWriter();
        using (var logger = LoggingSetup.Create(new LoggingOptions { Format = "json", Level = level }, sink))
        {
            using var factory = new SerilogLoggerFactory(logger);
            Reconciled(factory.CreateLogger("Yarp.ReverseProxy.Forwarder.HttpForwarder"), "https://tool/x?private_token=s3cret", 1);
            Reconciled(factory.CreateLogger("Connectors.Proxy"), "ns/a", 2);
        }

        Assert.That(sink.ToString(), Does.Not.Contain("s3cret").And.Contain("ns/a"));
    }

    [Test]
    public void Create_JsonFormat_WritesOneJsonObjectPerLineWithProperties()
    {
        var sink = new StringWriter();
        using (var logger = LoggingSetup.Create(new LoggingOptions { Format = "json", Level = "info" }, sink))
        {
            using var factory = new SerilogLoggerFactory(logger);
            Reconciled(factory.CreateLogger("Connectors.Test"), "ns/a", 12);
        }

        var line = JsonNode.Parse(sink.ToString().TrimEnd('\n'))!;
        using (Assert.EnterMultipleScope())
        {
            // Serilog's compact JSON (CLEF): Information is the level when @l is absent.
            Assert.That(line.AsObject().ContainsKey("@l"), Is.False);
            Assert.That(DateTimeOffset.Parse(line["@t"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
            Assert.That(line["SourceContext"]!.GetValue<string>(), Is.EqualTo("Connectors.Test"));
            Assert.That(line["@mt"]!.GetValue<string>(), Is.EqualTo("Reconciled {Connector} in {Milliseconds} ms"));
            Assert.That(line["EventId"]!["Id"]!.GetValue<int>(), Is.EqualTo(9901));
            Assert.That(line["Connector"]!.GetValue<string>(), Is.EqualTo("ns/a"));
            Assert.That(line["Milliseconds"]!.GetValue<int>(), Is.EqualTo(12));
        }
    }

    [LoggerMessage(9903, LogLevel.Information, "Error status code {StatusCode} raised.")]
    private static partial void StatusRaised(ILogger logger, string statusCode);

    [LoggerMessage(9904, LogLevel.Warning, "a warning")]
    private static partial void LibraryWarning(ILogger logger);

    [TestCase("Grpc.AspNetCore.Server.ServerCallHandler")]
    [TestCase("Microsoft.AspNetCore.Server.Kestrel")]
    public void Create_LibraryInformation_IsLeftOutButWarningsAreKept(string category)
    {
        var sink = new StringWriter();
        using (var logger = LoggingSetup.Create(new LoggingOptions { Format = "json", Level = "info" }, sink))
        {
            using var factory = new SerilogLoggerFactory(logger);
            var library = factory.CreateLogger(category);
            StatusRaised(library, "NotFound");
            LibraryWarning(library);
        }

        var lines = sink.ToString().TrimEnd('\n').Split('\n');
        Assert.That(lines.Select(l => JsonNode.Parse(l)!["@mt"]!.GetValue<string>()), Is.EqualTo(new[] { "a warning" }));
    }

    [Test]
    public void Create_PropertyNamedLikeACredential_IsRedactedInTextAndJson()
    {
        foreach (var format in new[] { "json", "text" })
        {
            var sink = new StringWriter();
            using (var logger = LoggingSetup.Create(new LoggingOptions { Format = format, Level = "debug" }, sink))
            {
                using var factory = new SerilogLoggerFactory(logger);
                Sending(factory.CreateLogger("Connectors.Test"), "Bearer abc.def", "eyJhbGciOi", "git.example.com", "my-secret");
            }

            var text = sink.ToString();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(text, Does.Not.Contain("abc.def"), format);
                Assert.That(text, Does.Not.Contain("eyJhbGciOi"), format);
                Assert.That(text, Does.Contain("[redacted]"), format);
                Assert.That(text, Does.Contain("git.example.com"), format);
                Assert.That(text, Does.Contain("my-secret"), format + ": a secret's name is not a secret");
            }
        }
    }

    [TestCase("verbose")]
    [TestCase("loud")]
    public void ParseLevel_UnknownName_ThrowsFormatException(string level)
    {
        if (level == "verbose")
        {
            Assert.That(LoggingSetup.ParseLevel(level), Is.EqualTo(Serilog.Events.LogEventLevel.Verbose));
            return;
        }

        Assert.That(() => LoggingSetup.ParseLevel(level), Throws.InstanceOf<FormatException>().With.Message.Contains("unknown log level"));
    }
}
