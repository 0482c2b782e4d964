using Connectors.Modules.Kube;

namespace Connectors.Tests.Kube;

[TestFixture]
public sealed class KubeconfigModelTests
{
    private const string Full = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: k
          cluster:
            server: https://10.0.0.1:6443
            certificate-authority: ca.crt
            certificate-authority-data: Q0E=
            tls-server-name: api.internal
            insecure-skip-tls-verify: true
        contexts:
        - name: dev
          context: {cluster: k, user: u, namespace: team-a}
        users:
        - name: u
          user:
            client-certificate: c.crt
            client-certificate-data: Q0VSVA==
            client-key: c.key
            client-key-data: S0VZ
            token: t0k
            username: alice
            password: 12345
            auth-provider: {name: oidc, config: {idp-issuer-url: 'https://idp', refresh: true}}
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: kubelogin
              args: [get-token, --port, 8000]
              env: [{name: MODE, value: ci}]
              installHint: install kubelogin
              provideClusterInfo: true
        """;

    [Test]
    public void Bind_EveryField_ReachesThePackagesModel()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("config", Full);
        var model = KubeconfigModel.Bind(KubeconfigExtras.Load(path), path);
        var cluster = model.Clusters.Single().ClusterEndpoint;
        var context = model.Contexts.Single().ContextDetails;
        var user = model.Users.Single().UserCredentials;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((model.ApiVersion, model.Kind, model.CurrentContext, model.FileName), Is.EqualTo(("v1", "Config", "dev", path)));
            Assert.That((cluster.Server, cluster.CertificateAuthority, cluster.CertificateAuthorityData, cluster.TlsServerName, cluster.SkipTlsVerify),
                Is.EqualTo(("https://10.0.0.1:6443", "ca.crt", "Q0E=", "api.internal", true)));
            Assert.That((context.Cluster, context.User, context.Namespace), Is.EqualTo(("k", "u", "team-a")));
            Assert.That((user.ClientCertificate, user.ClientCertificateData, user.ClientKey, user.ClientKeyData), Is.EqualTo(("c.crt", "Q0VSVA==", "c.key", "S0VZ")));
            Assert.That((user.Token, user.UserName, user.Password), Is.EqualTo(("t0k", "alice", "12345")));
            Assert.That(user.AuthProvider.Name, Is.EqualTo("oidc"));
            Assert.That(user.AuthProvider.Config, Is.EquivalentTo(new Dictionary<string, string> { ["idp-issuer-url"] = "https://idp", ["refresh"] = "true" }));
            Assert.That((user.ExternalExecution.ApiVersion, user.ExternalExecution.Command, user.ExternalExecution.InstallHint, user.ExternalExecution.ProvideClusterInfo),
                Is.EqualTo(("client.authentication.k8s.io/v1", "kubelogin", "install kubelogin", true)));
            Assert.That(user.ExternalExecution.Arguments, Is.EqualTo(new[] { "get-token", "--port", "8000" }));
            Assert.That(user.ExternalExecution.EnvironmentVariables.Single(), Is.EquivalentTo(new Dictionary<string, string> { ["name"] = "MODE", ["value"] = "ci" }));
        }
    }
}
