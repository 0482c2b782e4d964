using Connectors.Modules.Kube;
using k8s;

namespace Connectors.Tests.Kube;

/// <summary>Kubeconfig reading on KubernetesClient, and the project's additions on top: proxy-url, tokenFile, one-line errors.</summary>
[TestFixture]
public sealed class KubeConfigResolverTests
{
    private const string TwoContexts = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: dev-cluster
          cluster:
            server: https://127.0.0.1:6443
            insecure-skip-tls-verify: true
            proxy-url: http://ns%2Fname:tok@127.0.0.1:38090
        - name: prod-cluster
          cluster:
            server: https://prod.example:443
            tls-server-name: kubernetes.default
        contexts:
        - name: dev
          context: {cluster: dev-cluster, user: dev-user, namespace: team-a}
        - name: prod
          context: {cluster: prod-cluster, user: prod-user}
        users:
        - name: dev-user
          user: {token: dev-token}
        - name: prod-user
          user: {tokenFile: tokens/prod}
        """;

    [Test, CancelAfter(10_000)]
    public async Task FromFile_CurrentContext_ResolvesServerNamespaceProxyAndToken(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("config", TwoContexts);
        var config = KubeConfigResolver.FromFile(path, null);
        var extras = KubeconfigExtras.For(KubeconfigExtras.Load(path), path, "dev");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(config.Server, Is.EqualTo(new Uri("https://127.0.0.1:6443")));
            Assert.That(config.Namespace, Is.EqualTo("team-a"));
            Assert.That(config.Configuration.SkipTlsVerify, Is.True);
            Assert.That(extras.ProxyUrl, Is.EqualTo(new Uri("http://ns%2Fname:tok@127.0.0.1:38090")));
            Assert.That(await AuthorizationAsync(config, cancellationToken), Is.EqualTo("Bearer dev-token"));
            Assert.That(config.Tokens, Is.Null);
            Assert.That(config.Source, Does.Contain("context \"dev\"").And.Contain(path));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task FromFile_ExplicitContextWithRelativeTokenFile_ReadsFileNextToKubeconfig(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "tokens"));
        dir.Write("tokens/prod", "prod-token\n");
        var config = KubeConfigResolver.FromFile(dir.Write("config", TwoContexts), "prod");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(config.Server.Host, Is.EqualTo("prod.example"));
            Assert.That(config.Configuration.TlsServerName, Is.EqualTo("kubernetes.default"));
            Assert.That(config.Namespace, Is.Null);
            Assert.That(await AuthorizationAsync(config, cancellationToken), Is.EqualTo("Bearer prod-token"));
            Assert.That(config.Tokens, Is.Not.Null);
        }
    }

    [Test]
    public void FromFile_MalformedYaml_NamesTheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("config", "clusters: [\n");
        Assert.That(() => KubeConfigResolver.FromFile(path, null),
            Throws.TypeOf<KubeConfigException>().With.Message.StartsWith($"malformed kubeconfig {path}:").And.Message.Not.Contains('\n'));
    }

    [Test]
    public void FromFile_MissingFile_NamesTheFile() =>
        Assert.That(() => KubeConfigResolver.FromFile("/nonexistent/kubeconfig", null),
            Throws.TypeOf<KubeConfigException>().With.Message.Contains("/nonexistent/kubeconfig"));

    [Test]
    public void FromFile_UnknownContext_NamesTheContextAndFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("config", TwoContexts);
        Assert.That(() => KubeConfigResolver.FromFile(path, "other"),
            Throws.TypeOf<KubeConfigException>().With.Message.EqualTo($"kubeconfig {path} has no context \"other\""));
    }

    [TestCase("server: https://127.0.0.1:1, certificate-authority: missing.crt", "certificate-authority /tmp/")]
    [TestCase("server: https://127.0.0.1:1, proxy-url: 'gopher://x'", "proxy-url \"gopher://x\" is not a valid")]
    public void FromFile_BadCluster_SaysWhatIsWrong(string cluster, string expected)
    {
        using var dir = new TempDirectory();
        var yaml = "current-context: c\nclusters: [{name: k, cluster: {" + cluster + "}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nusers: [{name: u, user: {token: t}}]\n";
        var path = dir.Write("config", yaml);
        Assert.That(() => KubeConfigResolver.FromFile(path, null), Throws.TypeOf<KubeConfigException>().With.Message.Contains(expected).And.Message.Not.Contains('\n'));
    }

    [TestCase("{client-certificate-data: aGVsbG8=}", "does not have appropriate auth credentials")]
    [TestCase("{tokenFile: missing-token}", "cannot read tokenFile")]
    [TestCase("{exec: {apiVersion: client.authentication.k8s.io/v1, command: /nonexistent/plugin}}", "external exec failed")]
    public void FromFile_BadUser_SaysWhatIsWrong(string user, string expected)
    {
        using var dir = new TempDirectory();
        var yaml = "current-context: c\nclusters: [{name: k, cluster: {server: 'https://127.0.0.1:1'}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nusers: [{name: u, user: " + user + "}]\n";
        var path = dir.Write("config", yaml);
        Assert.That(() => KubeConfigResolver.FromFile(path, null),
            Throws.TypeOf<KubeConfigException>().With.Message.Contains(expected).And.Message.Contains("context \"c\"").And.Message.Not.Contains('\n'));
    }

    private static async Task<string?> AuthorizationAsync(KubeClientConfig config, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, config.Server);
        await Kubernetes.CreateCredentials(config.Configuration).ProcessHttpRequestAsync(request, cancellationToken);
        return request.Headers.Authorization?.ToString();
    }
}
