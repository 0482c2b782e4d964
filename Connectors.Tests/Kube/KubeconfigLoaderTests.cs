using Connectors.Modules.Kube;

namespace Connectors.Tests.Kube;

[TestFixture]
public sealed class KubeconfigLoaderTests
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
    public async Task Load_CurrentContext_ResolvesServerNamespaceProxyAndToken(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        var config = KubeconfigLoader.Load(dir.Write("config", TwoContexts), null, TimeProvider.System);
        var header = await config.Credentials!.GetAuthorizationAsync(false, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(config.Server, Is.EqualTo(new Uri("https://127.0.0.1:6443")));
            Assert.That(config.Namespace, Is.EqualTo("team-a"));
            Assert.That(config.InsecureSkipTlsVerify, Is.True);
            Assert.That(config.ProxyUrl, Is.EqualTo(new Uri("http://ns%2Fname:tok@127.0.0.1:38090")));
            Assert.That(header?.ToString(), Is.EqualTo("Bearer dev-token"));
            Assert.That(config.Source, Does.Contain("context \"dev\""));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Load_ExplicitContextWithRelativeTokenFile_ReadsFileNextToKubeconfig(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "tokens"));
        dir.Write("tokens/prod", "prod-token\n");
        var config = KubeconfigLoader.Load(dir.Write("config", TwoContexts), "prod", TimeProvider.System);
        var header = await config.Credentials!.GetAuthorizationAsync(false, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(config.Server.Host, Is.EqualTo("prod.example"));
            Assert.That(config.TlsServerName, Is.EqualTo("kubernetes.default"));
            Assert.That(config.Namespace, Is.Null);
            Assert.That(header?.ToString(), Is.EqualTo("Bearer prod-token"));
        }
    }

    [Test]
    public void Load_ClientCertificateFilesAndCaData_LoadsCertificateWithKeyAndRoots()
    {
        using var dir = new TempDirectory();
        using var ca = TestPki.CreateCa();
        using var client = TestPki.CreateClient(ca, "alice");
        dir.Write("client.crt", TestPki.CertificatePem(client));
        dir.Write("client.key", TestPki.KeyPem(client));
        var yaml = $"""
            apiVersion: v1
            current-context: c
            clusters: [{"{"}name: k, cluster: {"{"}server: "https://127.0.0.1:1", certificate-authority-data: {TestPki.Base64(TestPki.CertificatePem(ca))}{"}"}{"}"}]
            contexts: [{"{"}name: c, context: {"{"}cluster: k, user: u{"}"}{"}"}]
            users: [{"{"}name: u, user: {"{"}client-certificate: client.crt, client-key: client.key{"}"}{"}"}]
            """;
        var config = KubeconfigLoader.Load(dir.Write("config", yaml), null, TimeProvider.System);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(config.ClientCertificate?.HasPrivateKey, Is.True);
            Assert.That(config.ClientCertificate?.Subject, Is.EqualTo("CN=alice"));
            Assert.That(config.CertificateAuthorities?[0].Thumbprint, Is.EqualTo(ca.Thumbprint));
            Assert.That(config.Credentials, Is.Null);
        }
    }

    [Test]
    public void Load_MalformedYaml_NamesTheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("config", "clusters: [\n");
        Assert.That(() => KubeconfigLoader.Load(path, null, TimeProvider.System),
            Throws.TypeOf<KubeConfigException>().With.Message.StartsWith($"malformed kubeconfig {path}:"));
    }

    [Test]
    public void Load_MissingFile_NamesTheFile() =>
        Assert.That(() => KubeconfigLoader.Load("/nonexistent/kubeconfig", null, TimeProvider.System),
            Throws.TypeOf<KubeConfigException>().With.Message.Contains("/nonexistent/kubeconfig"));

    [TestCase("other", "has no context \"other\"")]
    public void Load_UnknownContext_NamesTheContext(string context, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("config", TwoContexts);
        Assert.That(() => KubeconfigLoader.Load(path, context, TimeProvider.System), Throws.TypeOf<KubeConfigException>().With.Message.Contains(expected));
    }

    [TestCase("server: ftp://x", "is not a valid http(s) URL")]
    [TestCase("server: https://127.0.0.1:1, certificate-authority: missing.crt", "cannot read certificate-authority")]
    [TestCase("server: https://127.0.0.1:1, certificate-authority-data: '!!'", "is not valid base64")]
    [TestCase("server: https://127.0.0.1:1, proxy-url: 'gopher://x'", "proxy-url")]
    public void Load_BadCluster_SaysWhatIsWrong(string cluster, string expected)
    {
        using var dir = new TempDirectory();
        var yaml = "current-context: c\nclusters: [{name: k, cluster: {" + cluster + "}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nusers: [{name: u, user: {token: t}}]\n";
        var path = dir.Write("config", yaml);
        Assert.That(() => KubeconfigLoader.Load(path, null, TimeProvider.System), Throws.TypeOf<KubeConfigException>().With.Message.Contains(expected));
    }

    [TestCase("{auth-provider: {name: gcp}}", "auth-provider \"gcp\" is not supported")]
    [TestCase("{client-certificate-data: aGVsbG8=}", "needs both client-certificate and client-key")]
    [TestCase("{exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: x}}", "exec apiVersion")]
    public void Load_BadUser_SaysWhatIsWrong(string user, string expected)
    {
        using var dir = new TempDirectory();
        var yaml = "current-context: c\nclusters: [{name: k, cluster: {server: 'https://127.0.0.1:1'}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nusers: [{name: u, user: " + user + "}]\n";
        var path = dir.Write("config", yaml);
        Assert.That(() => KubeconfigLoader.Load(path, null, TimeProvider.System), Throws.TypeOf<KubeConfigException>().With.Message.Contains(expected));
    }

    [Test, CancelAfter(10_000)]
    public async Task Resolve_InCluster_UsesServiceHostCaNamespaceAndRotatingToken(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        using var ca = TestPki.CreateCa();
        dir.Write("ca.crt", TestPki.CertificatePem(ca));
        dir.Write("namespace", "connectors-system");
        var tokenPath = dir.Write("token", "first");
        var env = new Dictionary<string, string?> { ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" };
        var clock = new FakeTimeProvider();
        var config = KubeClientFactory.Resolve(new KubeOptions(), name => env.GetValueOrDefault(name), dir.Path, clock);
        var first = await config.Credentials!.GetAuthorizationAsync(false, cancellationToken);
        await File.WriteAllTextAsync(tokenPath, "second", cancellationToken);
        var cached = await config.Credentials.GetAuthorizationAsync(false, cancellationToken);
        clock.Advance(TokenFileCredentials.ReloadInterval);
        var rotated = await config.Credentials.GetAuthorizationAsync(false, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(config.Server, Is.EqualTo(new Uri("https://10.96.0.1:443")));
            Assert.That(config.Namespace, Is.EqualTo("connectors-system"));
            Assert.That(config.CertificateAuthorities, Has.Count.EqualTo(1));
            Assert.That(first?.Parameter, Is.EqualTo("first"));
            Assert.That(cached?.Parameter, Is.EqualTo("first"));
            Assert.That(rotated?.Parameter, Is.EqualTo("second"));
        }
    }

    [Test]
    public void Resolve_NothingConfigured_SaysWhereItLooked()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?> { ["HOME"] = dir.Path };
        Assert.That(() => KubeClientFactory.Resolve(new KubeOptions(), name => env.GetValueOrDefault(name), dir.Path, TimeProvider.System),
            Throws.TypeOf<KubeConfigException>().With.Message.Contains("no Kubernetes configuration"));
    }
}
