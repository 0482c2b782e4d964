using System.Text.Json.Nodes;
using Connectors.Host.Cli;
using Connectors.Modules.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Host;

/// <summary>What <c>make run</c> prints to try next: every command runs as printed, with no placeholder to fill in.</summary>
[TestFixture]
public sealed class EmbeddedBannerTests
{
    [Test]
    public void PublishExample_Quickstart_NamesTheGithubConnectorItsConfigurationAndTheBuilderServiceAccount()
    {
        var applied = Load("manifests", "connectorclasses").Concat(Load("examples", "quickstart")).ToList();

        var example = EmbeddedMode.PublishExample(applied);

        Assert.That(example, Is.EqualTo("--connector quickstart/github --configurations gitconfig --pod-namespace quickstart --service-account builder"));
    }

    [Test]
    public void PublishExample_ClassNotAppliedAndNoServiceAccount_OmitsConfigurationsAndUsesDefault()
    {
        var connector = JsonNode.Parse("""
            {"apiVersion": "connectors.alauda.io/v1alpha1", "kind": "Connector", "metadata": {"name": "git", "namespace": "demo"}, "spec": {"connectorClassName": "git"}}
            """)!.AsObject();
        var otherNamespaceAccount = JsonNode.Parse("""{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "builder", "namespace": "elsewhere"}}""")!.AsObject();

        var example = EmbeddedMode.PublishExample([otherNamespaceAccount, connector]);

        Assert.That(example, Is.EqualTo("--connector demo/git --pod-namespace demo --service-account default"));
    }

    [Test]
    public void PublishExample_NoConnector_Null()
    {
        Assert.That(EmbeddedMode.PublishExample(Load("manifests", "connectorclasses").ToList()), Is.Null);
    }

    [Test, CancelAfter(90_000)]
    public async Task Run_EmbeddedWithQuickstart_PrintsACsiPublishCommandThatRunsAsPrinted(CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory();
        await using var process = ConnectorsProcess.Start(
            "run", "--role", "all", "--embedded", "--embedded-kubeconfig", directory.Combine(".connectors", "kubeconfig"),
            "--apply", TestData.Path("manifests", "connectorclasses"), "--apply", TestData.Path("examples", "quickstart"),
            "--proxy-listen", "127.0.0.1:0", "--health-listen", "127.0.0.1:0", "--webhook-listen", "127.0.0.1:0", "--csi-tmpfs", "false", "--log-format", "text");
        while (!process.Stdout.Contains("connectors: ready", StringComparison.Ordinal))
        {
            Assert.That(process.HasExited, Is.False, process.Stderr);
            await Task.Delay(50, cancellationToken);
        }

        var publish = process.Stdout.Split('\n').Single(l => l.Contains(" csi publish ", StringComparison.Ordinal)).Trim();
        var words = publish.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // The printed target is /tmp/connectors-demo; this run publishes into its own directory instead.
        var target = directory.Combine("volume");
        var args = words.SkipWhile(w => w != "csi").Select(w => w == "/tmp/connectors-demo" ? target : w).ToArray();
        var (code, stdout, stderr) = await ConnectorsProcess.RunAsync(args, cancellationToken);
        var unpublish = await ConnectorsProcess.RunAsync(["csi", "unpublish", .. args.SkipWhile(a => a != "--endpoint").Take(2), "--target", target], cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(publish, Does.Not.Contain("<").And.Not.Contain(">"), "no placeholder a shell would read as a redirection");
            Assert.That(process.Stdout, Does.Contain("see the files a pod would get with (as ").And.Contain(", the socket's owner; plain files, no tmpfs (--csi-tmpfs)):"),
                "no tmpfs here (--csi-tmpfs false): root is not what it takes");
            Assert.That(code, Is.Zero, stderr);
            Assert.That(stdout, Does.Contain(".gitconfig"));
            Assert.That(unpublish.ExitCode, Is.Zero, unpublish.Stderr);
        }
    }

    private static IEnumerable<JsonObject> Load(params string[] folder) =>
        TestData.Files("*.yaml", folder).Order(StringComparer.Ordinal).SelectMany(f => KubeYaml.LoadDocuments(File.ReadAllText(f))).Select(d => d.AsObject());
}
