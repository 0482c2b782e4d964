using System.Net.Sockets;
using Connectors.Host.Cli;
using Connectors.Modules.Observability;
using Connectors.Tests.Support;

namespace Connectors.Tests.Csi;

[TestFixture]
public sealed class CsiCommandTests
{
    [Test, CancelAfter(30_000)]
    public async Task Publish_ThenUnpublish_WritesListsAndRemovesVolume(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var target = driver.Directory.Combine("pod", "mount");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var (code, output, error) = await RunAsync(cancellationToken, "csi", "publish", "--endpoint", "unix://" + driver.SocketPath,
            "--target", target, "--connector", "team/git", "--pod-namespace", "team", "--service-account", "builder",
            "--attribute", "token.expiration=15m");
        var (unpublishCode, unpublishOutput, _) = await RunAsync(cancellationToken, "csi", "unpublish", "--endpoint", "unix://" + driver.SocketPath, "--target", target);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero, error);
            Assert.That(output, Does.Contain("published csi-").And.Contain("  context.token (20 bytes)"));
            Assert.That(driver.Kube.TokenRequests.Single().Spec.ExpirationSeconds, Is.EqualTo(900));
            Assert.That(unpublishCode, Is.Zero);
            Assert.That(unpublishOutput, Does.StartWith("unpublished csi-"));
            Assert.That(Directory.Exists(target), Is.False);
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Publish_UnknownConnector_ExitsOneWithTheRpcError(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var target = driver.Directory.Combine("pod", "mount");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var (code, _, error) = await RunAsync(cancellationToken, "csi", "publish", "--endpoint", "unix://" + driver.SocketPath,
            "--target", target, "--connector", "nope", "--pod-namespace", "team", "--service-account", "builder");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(error, Is.EqualTo("connectors: rpc error: code = NotFound desc = connector \"nope\" not found\n"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Info_Driver_PrintsNameNodeAndReadiness(CancellationToken cancellationToken)
    {
        await using var driver = await StartAsync(cancellationToken);
        var (code, output, _) = await RunAsync(cancellationToken, "csi", "info", "--endpoint", "unix://" + driver.SocketPath);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero);
            Assert.That(output, Does.Match(@"^connectors-csi \d+\.\d+\.\d+\S* node=node-1 ready=true\n$"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Publish_Outcomes_AreCountedByStatusWithoutNames(CancellationToken cancellationToken)
    {
        using var metrics = new MetricsEndpoint();
        await using var driver = await StartAsync(cancellationToken);
        Directory.CreateDirectory(driver.Directory.Combine("pod"));
        await RunAsync(cancellationToken, "csi", "publish", "--endpoint", "unix://" + driver.SocketPath, "--target", driver.Directory.Combine("pod", "a"),
            "--connector", "git", "--pod-namespace", "team", "--service-account", "builder");
        await RunAsync(cancellationToken, "csi", "publish", "--endpoint", "unix://" + driver.SocketPath, "--target", driver.Directory.Combine("pod", "b"),
            "--connector", "nope", "--pod-namespace", "team", "--service-account", "builder");
        var text = await metrics.ScrapeAsync(cancellationToken);
        var families = PrometheusText.Parse(text);
        var requests = families["connectors_csi_publish_requests_total"].Samples;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(requests.Single(s => s.Labels["outcome"] == "OK").Value, Is.GreaterThanOrEqualTo(1));
            Assert.That(requests.Single(s => s.Labels["outcome"] == "NotFound").Value, Is.GreaterThanOrEqualTo(1));
            Assert.That(families, Does.ContainKey("connectors_csi_publish_duration_seconds"));
            Assert.That(text, Does.Not.Contain("token-team").And.Not.Contain("nope"));
        }
    }

    [TestCase(null, "code = (NotFound|Unavailable) ")]
    [TestCase("/var/lib/kubelet/pods", "code = InvalidArgument desc = invalid target_path .* is not below kubelet's pods directory /var/lib/kubelet/pods")]
    [CancelAfter(60_000)]
    public async Task RunEmbedded_PublishOutsideKubeletTree_AllowedUnlessPodsDirGiven(string? podsDir, string expected, CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory();
        var socket = directory.Combine("csi.sock");
        string[] run = ["run", "--role", "csi-node", "--embedded", "--embedded-kubeconfig", directory.Combine("kubeconfig"),
            "--csi-endpoint", "unix://" + socket, "--csi-tmpfs", "false", "--health-listen", "127.0.0.1:0"];
        await using var driver = ConnectorsProcess.Start(podsDir is null ? run : [.. run, "--kubelet-pods-dir", podsDir]);
        // The socket file appears at bind, a moment before listen: wait until it accepts.
        while (!driver.HasExited && !await AcceptsAsync(socket, cancellationToken))
        {
            await Task.Delay(20, cancellationToken);
        }

        Directory.CreateDirectory(directory.Combine("pod"));
        var (code, _, error) = await RunAsync(cancellationToken, "csi", "publish", "--endpoint", "unix://" + socket, "--target", directory.Combine("pod", "mount"),
            "--connector", "team/nope", "--pod-namespace", "team", "--service-account", "builder");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Not.Zero, driver.Stderr);
            Assert.That(error, Does.Match(expected), driver.Stderr);
        }
    }

    private static async Task<CsiTestDriver> StartAsync(CancellationToken cancellationToken)
    {
        var driver = await CsiTestDriver.StartAsync(cancellationToken);
        driver.Kube.Add(CsiRequests.Class("gitlab"));
        driver.Kube.Add(CsiRequests.Connector("git", "gitlab"));
        driver.Kube.Allow(CsiRequests.User, "team", "git");
        return driver;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await ConnectorsCommandLine.InvokeAsync(args, output, error, cancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<bool> AcceptsAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await probe.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
