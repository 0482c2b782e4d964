using System.Net;
using System.Net.Sockets;
using Connectors.Tests.Support;

namespace Connectors.Tests.Host;

/// <summary>What a user meets when <c>connectors run</c> cannot start: one line, the right exit code, nothing overwritten.</summary>
[TestFixture]
public sealed class RunStartupTests
{
    [TestCase("--probe-interval", "banana", "connectors: --probe-interval: \"banana\" is not valid")]
    [TestCase("--health-listen", "x", "connectors: --health-listen: invalid listen address \"x\"")]
    [TestCase("--embedded-listen", "nowhere", "connectors: --embedded-listen: invalid listen address \"nowhere\"")]
    [TestCase("--proxy-allow-ttl", "soon", "connectors: --proxy-allow-ttl:")]
    [TestCase("--webhook-listen", "nowhere", "connectors: --webhook-listen: invalid listen address \"nowhere\"")]
    [TestCase("--pod-image-pull-exposure", "Sideways", "connectors: --pod-image-pull-exposure: \"Sideways\" is not valid: want ClusterIP or NodePort")]
    [CancelAfter(60_000)]
    public async Task Run_InvalidFlagValue_ExitsTwoNamingTheFlagBeforeWritingAnything(string flag, string value, string firstLine, CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory();
        var kubeconfig = directory.Combine(".connectors", "kubeconfig");

        string[] listeners = flag == "--health-listen" ? ["--proxy-listen", "127.0.0.1:0"] : ["--proxy-listen", "127.0.0.1:0", "--health-listen", "127.0.0.1:0"];

        var (code, stdout, stderr) = await ConnectorsProcess.RunAsync(["run", "--role", "all", "--embedded", "--embedded-kubeconfig", kubeconfig, .. listeners, flag, value], cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2), stderr);
            Assert.That(stderr.Split('\n')[0], Does.StartWith(firstLine));
            Assert.That(stderr, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(stdout, Does.Not.Contain("embedded Kubernetes API at"), "nothing started");
            Assert.That(Directory.Exists(directory.Combine(".connectors")) ? Directory.GetFiles(directory.Combine(".connectors")) : [], Is.Empty, "no kubeconfig written");
        }
    }

    [Test, CancelAfter(90_000)]
    public async Task Run_SecondInstanceOnTheSamePort_FailsWithOneLineAndLeavesTheFirstKubeconfig(CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory();
        var kubeconfig = directory.Combine(".connectors", "kubeconfig");
        var proxyPort = FreePort.Next();
        string[] args = ["run", "--role", "all", "--embedded", "--embedded-kubeconfig", kubeconfig, "--proxy-listen", $"127.0.0.1:{proxyPort}", "--health-listen", "127.0.0.1:0", "--log-format", "text"];
        await using var first = ConnectorsProcess.Start(args);
        await WaitForReadyAsync(first, cancellationToken);
        var written = await File.ReadAllBytesAsync(kubeconfig, cancellationToken);

        var (code, stdout, stderr) = await ConnectorsProcess.RunAsync(args, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1), stderr);
            Assert.That(ErrorLines(stderr), Is.EqualTo(new[] { $"connectors: Failed to bind to address http://127.0.0.1:{proxyPort}: address already in use. Stop what listens there (another connectors run?) or pass another --proxy-listen." }));
            Assert.That(stdout, Does.Not.Contain("kubeconfig:"), "no banner for an instance that did not start");
            Assert.That(await File.ReadAllBytesAsync(kubeconfig, cancellationToken), Is.EqualTo(written), "the running instance's kubeconfig is untouched");
            Assert.That(Directory.GetFiles(directory.Combine(".connectors")).Select(Path.GetFileName), Is.EquivalentTo(new[] { "kubeconfig", $".kubeconfig-{first.Id}", "csi.sock" }));
            Assert.That(first.HasExited, Is.False);
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Run_EmbeddedListenerInUse_FailsWithOneLineWithoutStackTrace(CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, _, stderr) = await ConnectorsProcess.RunAsync(
            ["run", "--role", "all", "--embedded", "--embedded-kubeconfig", directory.Combine("kubeconfig"), "--embedded-listen", $"127.0.0.1:{port}",
                "--proxy-listen", "127.0.0.1:0", "--health-listen", "127.0.0.1:0", "--log-format", "text"], cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1), stderr);
            Assert.That(ErrorLines(stderr), Is.EqualTo(new[] { $"connectors: Failed to bind to address https://127.0.0.1:{port}: address already in use. Stop what listens there (another connectors run?) or pass another --embedded-listen." }));
            Assert.That(File.Exists(directory.Combine("kubeconfig")), Is.False);
        }
    }

    [TestCase("proxy")]
    [TestCase("controller")]
    [TestCase("csi-node")]
    [CancelAfter(60_000)]
    public async Task Run_KubeconfigMissing_ExitsOneWithOneLineAndNoStackTrace(string role, CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory();
        var kubeconfig = directory.Combine("nope");

        var (code, stdout, stderr) = await ConnectorsProcess.RunAsync(
            ["run", "--role", role, "--kubeconfig", kubeconfig, "--proxy-listen", "127.0.0.1:0", "--health-listen", "127.0.0.1:0", "--webhook-listen", "127.0.0.1:0",
                "--csi-endpoint", "unix://" + directory.Combine("csi.sock"), "--log-format", "text"], cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1), stderr);
            Assert.That(ErrorLines(stderr), Is.EqualTo(new[] { $"connectors: cannot read kubeconfig {kubeconfig}: no such file (check --kubeconfig or $KUBECONFIG)" }));
            Assert.That(stderr + stdout, Does.Not.Contain("   at ").And.Not.Contain("Unhandled exception"));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Run_ProxyOnPortZero_BannerAndServiceNameTheRealPort(CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory();
        await using var process = ConnectorsProcess.Start(
            "run", "--role", "proxy", "--embedded", "--embedded-kubeconfig", directory.Combine("kubeconfig"), "--proxy-listen", "127.0.0.1:0", "--health-listen", "127.0.0.1:0", "--log-format", "text");
        await WaitForReadyAsync(process, cancellationToken);

        var line = process.Stdout.Split('\n').Single(l => l.StartsWith("connectors: proxy at ", StringComparison.Ordinal));
        var url = new Uri(line["connectors: proxy at ".Length..line.IndexOf(';', StringComparison.Ordinal)]);
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(url, "/namespaces/nowhere/connectors/none/"), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(url.Port, Is.Not.Zero);
            Assert.That((int)response.StatusCode, Is.InRange(400, 499), "the proxy answers on the port the banner names");
        }
    }

    /// <summary>stderr lines that are not log records (the text format starts those with a time).</summary>
    private static string[] ErrorLines(string stderr) =>
        [.. stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !char.IsAsciiDigit(l[0]))];

    private static async Task WaitForReadyAsync(ConnectorsProcess process, CancellationToken cancellationToken)
    {
        while (!process.Stdout.Contains("connectors: ready", StringComparison.Ordinal))
        {
            Assert.That(process.HasExited, Is.False, process.Stderr);
            await Task.Delay(50, cancellationToken);
        }
    }
}
