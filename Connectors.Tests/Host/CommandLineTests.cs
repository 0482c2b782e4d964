using Connectors.Tests.Support;

namespace Connectors.Tests.Host;

[TestFixture]
public sealed class CommandLineTests
{
    [Test, CancelAfter(30_000)]
    public async Task Version_NoArguments_PrintsVersionAndExitsZero(CancellationToken cancellationToken)
    {
        var (code, stdout, _) = await ConnectorsProcess.RunAsync(["version"], cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero);
            Assert.That(stdout, Does.Match(@"^connectors \d+\.\d+\.\d+"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Run_UnknownRole_PrintsReasonAndUsageAndExitsTwo(CancellationToken cancellationToken)
    {
        var (code, stdout, stderr) = await ConnectorsProcess.RunAsync(["run", "--role", "bogus"], cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr.Split('\n')[0], Is.EqualTo("connectors: unknown role \"bogus\": want controller|proxy|csi-node|all"));
            Assert.That(stderr, Does.Contain("Usage:").And.Contain("--role"));
            Assert.That(stdout, Is.Empty);
        }
    }

    [TestCase("run", "--role", "proxy", "--no-such-flag")]
    [TestCase("run")]
    [TestCase("run", "--role", "proxy", "--log-level", "loud")]
    [TestCase("run", "--role", "proxy", "--shutdown-grace", "soon")]
    [TestCase("frobnicate")]
    [CancelAfter(30_000)]
    public async Task Run_BadArguments_ExitTwoWithOneLineReason(string a, string? b = null, string? c = null, string? d = null, string? e = null, CancellationToken cancellationToken = default)
    {
        string[] args = [.. new[] { a, b, c, d, e }.Where(x => x is not null).Cast<string>()];

        var (code, _, stderr) = await ConnectorsProcess.RunAsync(args, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.StartWith("connectors: "));
            Assert.That(stderr, Does.Not.Contain("   at "), "no stack trace");
        }
    }

    [TestCase("--bogus", "connectors: unknown flag \"--bogus\" for \"connectors\"")]
    [TestCase("frobnicate", "connectors: unknown command or argument \"frobnicate\" for \"connectors\"")]
    [TestCase("csi", "connectors: \"csi\" needs a command: publish, unpublish, info")]
    [CancelAfter(30_000)]
    public async Task Root_UnknownWordOrMissingCommand_NamesItAndExitsTwo(string word, string firstLine, CancellationToken cancellationToken)
    {
        var (code, _, stderr) = await ConnectorsProcess.RunAsync([word], cancellationToken);

        Assert.That((code, stderr.Split('\n')[0]), Is.EqualTo((2, firstLine)));
    }

    [TestCase(false, "no such socket (is `connectors run --role csi-node` running with this --csi-endpoint?)")]
    [TestCase(true, "connection refused (a stale socket: is the driver running?)")]
    [CancelAfter(30_000)]
    public async Task CsiInfo_NoDriverBehindTheSocket_ExitsOneWithTheReasonInUserTerms(bool staleSocket, string reason, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"connectors-csi-{Guid.NewGuid():N}.sock");
        using var stale = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        if (staleSocket)
        {
            stale.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));   // bound, never listening: what a crashed driver leaves
        }

        try
        {
            var (code, _, stderr) = await ConnectorsProcess.RunAsync(["csi", "info", "--endpoint", "unix://" + path], cancellationToken);
            Assert.That((code, stderr.Trim()), Is.EqualTo((1, $"connectors: cannot reach the CSI driver at unix://{path}: {reason}")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("template", "connectors: --template {0}: no such file")]
    [TestCase("data", "connectors: --data {0}: no such file")]
    [TestCase("bad-json", "connectors: --data {0}: not valid JSON: ")]
    [CancelAfter(30_000)]
    public async Task TemplateRender_UnreadableFile_ExitsOneNamingTheFlagAndThePath(string which, string expected, CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory();
        var template = directory.Combine("t.tmpl");
        await File.WriteAllTextAsync(template, "{{ .x }}", cancellationToken);
        var missing = directory.Combine("missing");
        var badJson = directory.Combine("bad.json");
        await File.WriteAllTextAsync(badJson, "{not json", cancellationToken);
        var (templatePath, dataPath, named) = which switch
        {
            "template" => (missing, badJson, missing),
            "data" => (template, missing, missing),
            _ => (template, badJson, badJson),
        };

        var (code, stdout, stderr) = await ConnectorsProcess.RunAsync(["template", "render", "--template", templatePath, "--data", dataPath], cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line");
            Assert.That(stderr, Does.StartWith(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, named)));
            Assert.That(stdout, Is.Empty);
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task TemplateRender_FileStartingWithByteOrderMark_KeepsItAsGoDoes(CancellationToken cancellationToken)
    {
        // Go keeps a leading BOM as template text, so an error's byte column counts its three bytes (1:8, not 1:5).
        var dir = Directory.CreateTempSubdirectory("bom-");
        try
        {
            var template = Path.Combine(dir.FullName, "bom.tmpl");
            var data = Path.Combine(dir.FullName, "data.json");
            await File.WriteAllBytesAsync(template, [0xEF, 0xBB, 0xBF, .. "{{ .x.y }}"u8.ToArray()], cancellationToken);
            await File.WriteAllTextAsync(data, "{\"x\":1}", cancellationToken);

            var (code, _, stderr) = await ConnectorsProcess.RunAsync(["template", "render", "--template", template, "--data", data], cancellationToken);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.EqualTo(1));
                Assert.That(stderr, Does.Contain("template: bom.tmpl:1:8: executing \"bom.tmpl\" at <.x.y>"));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
