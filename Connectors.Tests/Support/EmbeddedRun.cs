using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Tests.Support;

/// <summary>
/// The real executable running <c>connectors run --role controller,proxy --embedded</c> with the built-in classes and
/// examples/quickstart applied (what <c>make run</c> starts, without the CSI role), plus an admin client on its API.
/// </summary>
internal sealed partial class EmbeddedRun : IAsyncDisposable
{
    private readonly ConnectorsProcess _process;
    private readonly TempDirectory _directory;

    private EmbeddedRun(ConnectorsProcess process, TempDirectory directory, KubeClient client, Uri proxy)
    {
        _process = process;
        _directory = directory;
        Client = client;
        ProxyUrl = proxy;
    }

    public string KubeconfigPath => _directory.Combine("kubeconfig");

    /// <summary>Admin client of the embedded API.</summary>
    public KubeClient Client { get; }

    /// <summary>Where the proxy listens, <c>http://127.0.0.1:port</c>.</summary>
    public Uri ProxyUrl { get; }

    public string Logs => _process.Stderr;

    /// <summary>Starts it; <paramref name="extraManifest"/> (YAML) is applied too.</summary>
    public static async Task<EmbeddedRun> StartAsync(CancellationToken cancellationToken, string? extraManifest = null)
    {
        var directory = new TempDirectory();
        string[] args =
        [
            "run", "--role", "controller,proxy", "--embedded", "--embedded-kubeconfig", directory.Combine("kubeconfig"),
            "--apply", TestData.Path("manifests", "connectorclasses"), "--apply", TestData.Path("examples", "quickstart"),
            "--proxy-listen", "127.0.0.1:0", "--health-listen", "127.0.0.1:0", "--log-format", "json",
        ];
        if (extraManifest is not null)
        {
            await File.WriteAllTextAsync(directory.Combine("extra.yaml"), extraManifest, cancellationToken);
            args = [.. args, "--apply", directory.Combine("extra.yaml")];
        }

        var process = ConnectorsProcess.Start(args);
        while (!process.Stdout.Contains("connectors: ready", StringComparison.Ordinal))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("connectors run exited: " + process.Stderr);
            }

            await Task.Delay(50, cancellationToken);
        }

        var proxy = new Uri(ProxyLine().Match(process.Stdout).Groups[1].Value);
        var client = KubeClient.Create(new KubeOptions { Kubeconfig = directory.Combine("kubeconfig") }, TimeProvider.System, NullLoggerFactory.Instance);
        return new EmbeddedRun(process, directory, client, proxy);
    }

    /// <summary>Creates <paramref name="obj"/>, failing the test with the API's message when it cannot.</summary>
    public async Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubeObject
    {
        var result = await Client.CreateAsync(obj, cancellationToken);
        Assert.That(result.IsOk, Is.True, () => $"create {obj.Kind} {obj.Metadata.Name}: {result.Outcome} {result.Message}");
        return result.Value!;
    }

    /// <summary>Polls until the Connector's Ready condition has <paramref name="status"/>.</summary>
    public async Task<Connector> WaitForReadyAsync(string ns, string name, string status, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await Client.GetAsync<Connector>(ns, name, cancellationToken);
            if (read.IsOk && read.Value!.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready)?.Status == status)
            {
                return read.Value;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>
    /// The quickstart's workload in namespace <paramref name="ns"/>: ServiceAccount builder, its RoleBinding
    /// builder-uses-connectors (unless <paramref name="roleBinding"/> is false) and Connector git of
    /// <paramref name="className"/> at <paramref name="address"/>, waited for until its Ready condition is
    /// <paramref name="ready"/>.
    /// </summary>
    public async Task ArrangeWorkloadAsync(string ns, string address, CancellationToken cancellationToken, string className = "git", bool roleBinding = true, bool ready = true)
    {
        await CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = ns } }, cancellationToken);
        await CreateAsync(new ServiceAccount { Metadata = new ObjectMeta { Name = "builder", Namespace = ns } }, cancellationToken);
        if (roleBinding)
        {
            await CreateAsync(new RoleBinding
            {
                Metadata = new ObjectMeta { Name = "builder-uses-connectors", Namespace = ns },
                RoleRef = new RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "connectors-connector-viewer-role" },
                Subjects = [new RbacSubject { Kind = "ServiceAccount", Name = "builder", Namespace = ns }],
            }, cancellationToken);
        }

        await CreateAsync(new Connector
        {
            Metadata = new ObjectMeta { Name = "git", Namespace = ns },
            Spec = new ConnectorSpec
            {
                ConnectorClassName = className,
                Address = address,
                Auth = new ConnectorAuth { Name = "basicAuth", Params = [new NamedValue { Name = "repository", Value = JsonValue.Create("org/repo.git") }] },
            },
        }, cancellationToken);
        await WaitForReadyAsync(ns, "git", ready ? ConditionStatus.True : ConditionStatus.False, cancellationToken);
    }

    /// <summary>Runs <c>connectors doctor</c> for ServiceAccount builder and Connector git in <paramref name="ns"/>.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> DoctorAsync(string ns, CancellationToken cancellationToken, params string[] extra) =>
        ConnectorsProcess.RunAsync(["doctor", "--kubeconfig", KubeconfigPath, "-n", ns, "--service-account", "builder", "--connector", "git", .. extra], cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
        _directory.Dispose();
    }

    [GeneratedRegex(@"connectors: proxy at (http://[0-9.:]+);")]
    private static partial Regex ProxyLine();
}
