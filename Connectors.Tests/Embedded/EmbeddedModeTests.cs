using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Connectors.Host.Cli;
using Connectors.Modules.Model;

namespace Connectors.Tests.Embedded;

/// <summary><c>connectors run --embedded</c>: kubeconfig, <c>--apply</c>, the proxy Service, bad manifests.</summary>
[TestFixture]
public sealed class EmbeddedModeTests
{
    private string _directory = "";

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("connectors-embedded-mode-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test, CancelAfter(30_000)]
    public async Task Run_Embedded_WritesKubeconfigAppliesManifestsAndCreatesProxyService(CancellationToken cancellationToken)
    {
        var manifests = Directory.CreateDirectory(Path.Combine(_directory, "manifests")).FullName;
        await File.WriteAllTextAsync(Path.Combine(manifests, "kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(manifests, "01-namespace.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(manifests, "02-connector.yaml"), """
            apiVersion: v1
            kind: Secret
            metadata:
              name: git-secret
              namespace: demo
            type: kubernetes.io/basic-auth
            stringData:
              username: u
              password: p
            ---
            apiVersion: connectors.alauda.io/v1alpha1
            kind: Connector
            metadata:
              name: git
              namespace: demo
            spec:
              connectorClassName: git
              address: https://github.com
              auth:
                name: basicAuth
                secretRef:
                  name: git-secret
            """, cancellationToken);
        var classFile = Path.Combine(_directory, "class.yaml");
        await File.WriteAllTextAsync(classFile, "apiVersion: connectors.alauda.io/v1alpha1\nkind: ConnectorClass\nmetadata:\n  name: git\nspec:\n  address:\n    type: string\n", cancellationToken);
        var kubeconfig = Path.Combine(_directory, "kc", "kubeconfig");
        var output = new StringWriter();
        var error = new StringWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = ConnectorsCommandLine.InvokeAsync(
            ["run", "--role", "proxy", "--embedded", "--embedded-kubeconfig", kubeconfig, "--apply", manifests, "--apply", classFile, "--proxy-listen", "127.0.0.1:0", "--health-listen", "127.0.0.1:0", "--log-format", "json", "--log-level", "warn"],
            output, error, stop.Token);

        while (!File.Exists(kubeconfig) || !output.ToString().Contains("manifest objects applied", StringComparison.Ordinal))
        {
            Assert.That(run.IsCompleted, Is.False, () => error.ToString());
            await Task.Delay(50, cancellationToken);
        }

        using var client = ClientFor(await File.ReadAllTextAsync(kubeconfig, cancellationToken));
        var connectors = JsonNode.Parse(await client.GetStringAsync("apis/connectors.alauda.io/v1alpha1/connectors", cancellationToken))!;
        var secret = JsonNode.Parse(await client.GetStringAsync("api/v1/namespaces/demo/secrets/git-secret", cancellationToken))!;
        var service = JsonNode.Parse(await client.GetStringAsync($"api/v1/namespaces/{WellKnown.DefaultComponentsNamespace}/services/{WellKnown.ProxyServiceName}", cancellationToken))!;
        var connectorClass = JsonNode.Parse(await client.GetStringAsync("apis/connectors.alauda.io/v1alpha1/connectorclasses/git", cancellationToken))!;
        await stop.CancelAsync();
        var exitCode = await run;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(connectors["items"]!.AsArray().Select(i => $"{i!["metadata"]!["namespace"]}/{i["metadata"]!["name"]}"), Is.EqualTo((string[])["demo/git"]));
            Assert.That(Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]!["password"]!)), Is.EqualTo("p"));
            Assert.That((int)service["spec"]!["ports"]![0]!["port"]!, Is.EqualTo(80));
            Assert.That((string?)connectorClass["metadata"]!["name"], Is.EqualTo("git"));
            Assert.That(output.ToString(), Does.Contain("kubeconfig: " + kubeconfig));
            Assert.That(exitCode, Is.Zero, error.ToString());
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Run_EmbeddedWithBadManifest_FailsWithOneLineNamingFileAndDocument(CancellationToken cancellationToken)
    {
        var file = Path.Combine(_directory, "bad.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid\n", cancellationToken);
        var error = new StringWriter();
        var exitCode = await ConnectorsCommandLine.InvokeAsync(
            ["run", "--role", "controller", "--embedded", "--embedded-kubeconfig", Path.Combine(_directory, "kubeconfig"), "--apply", file, "--health-listen", "127.0.0.1:0", "--log-level", "error"],
            new StringWriter(), error, cancellationToken);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(lines, Has.Length.EqualTo(1));
            Assert.That(lines[0], Does.StartWith($"connectors: --apply {file}: document 2 (ConfigMap Not_Valid): "));
        }
    }

    [TestCase("kind: [unclosed", "invalid YAML")]
    [TestCase("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n", "does not serve Widget")]
    [TestCase("apiVersion: v1\nkind: ConfigMap\n", "want apiVersion, kind and metadata.name")]
    [CancelAfter(30_000)]
    public async Task Run_EmbeddedWithUnusableManifest_FailsWithOneLine(string yaml, string expected, CancellationToken cancellationToken)
    {
        var file = Path.Combine(_directory, "bad.yaml");
        await File.WriteAllTextAsync(file, yaml, cancellationToken);
        var error = new StringWriter();
        var exitCode = await ConnectorsCommandLine.InvokeAsync(
            ["run", "--role", "controller", "--embedded", "--embedded-kubeconfig", Path.Combine(_directory, "kubeconfig"), "--apply", file, "--health-listen", "127.0.0.1:0"],
            new StringWriter(), error, cancellationToken);
        Assert.That((exitCode, error.ToString().Trim().Split('\n').Length), Is.EqualTo((1, 1)));
        Assert.That(error.ToString(), Does.Contain(file).And.Contain(expected));
    }

    [Test, CancelAfter(30_000)]
    public async Task Run_ApplyWithoutEmbedded_IsAUsageError(CancellationToken cancellationToken)
    {
        var error = new StringWriter();
        var exitCode = await ConnectorsCommandLine.InvokeAsync(["run", "--role", "controller", "--apply", "x.yaml"], new StringWriter(), error, cancellationToken);
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error.ToString(), Does.StartWith("connectors: --apply"));
    }

    /// <summary>An HttpClient from the kubeconfig alone (server, CA data, token), as any client would build it.</summary>
    private static HttpClient ClientFor(string kubeconfig)
    {
        var config = KubeYaml.LoadDocuments(kubeconfig)[0];
        var cluster = config["clusters"]![0]!["cluster"]!;
        var ca = X509CertificateLoader.LoadCertificate(Convert.FromBase64String((string)cluster["certificate-authority-data"]!));
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { ca }, RevocationMode = X509RevocationMode.NoCheck },
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri((string)cluster["server"]! + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)config["users"]![0]!["user"]!["token"]!);
        return client;
    }
}
