using System.Reflection;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Connectors.Tests.Support;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Tests.Kube;

/// <summary>
/// Each way of authenticating and reaching the API server, end to end against the embedded API (HTTPS with its own
/// CA, bearer tokens). Client certificates are covered in <see cref="KubeClientTransportTests"/> on a loopback server
/// that requires one: the embedded API authenticates bearer tokens only.
/// </summary>
[TestFixture]
public sealed class KubeconfigVariantsTests
{
    [Test, CancelAfter(20_000)]
    public async Task ExecPlugin_RealScript_AuthenticatesAndRerunsAfter401(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var dir = new TempDirectory();
        var token = dir.Write("token", "not-a-valid-token");
        const string Credential = """{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}""";
        var plugin = dir.Write("plugin.sh", $"#!/bin/sh\necho run >> '{dir.Path}/runs'\nprintf '{Credential}' \"$(cat '{token}')\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        using var client = Create(dir, Kubeconfig(api, $"{{exec: {{apiVersion: client.authentication.k8s.io/v1, command: '{plugin}'}}}}"));
        var rejected = await client.ListAsync<Namespace>(null, null, cancellationToken);
        await File.WriteAllTextAsync(token, api.AdminToken, cancellationToken);
        // The plugin gave no expiry, so the package would keep its token for good: the 401 makes it run again.
        var accepted = await client.ListAsync<Namespace>(null, null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rejected.Outcome, Is.EqualTo(KubeOutcome.Unauthorized));
            Assert.That(accepted.IsOk, Is.True, accepted.Message);
            Assert.That(File.ReadAllLines(Path.Combine(dir.Path, "runs")), Has.Length.GreaterThanOrEqualTo(3));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task TokenFile_RotatedFile_ReadAgainAfter401(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var dir = new TempDirectory();
        var token = dir.Write("token", "revoked");
        using var client = Create(dir, Kubeconfig(api, "{tokenFile: token}"));
        var revoked = await client.ListAsync<Namespace>(null, null, cancellationToken);
        await File.WriteAllTextAsync(token, api.AdminToken + "\n", cancellationToken);
        // The package keeps a read token for a minute: the 401 makes it read the file again at once.
        var rotated = await client.ListAsync<Namespace>(null, null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(revoked.Outcome, Is.EqualTo(KubeOutcome.Unauthorized));
            Assert.That(rotated.IsOk, Is.True, rotated.Message);
        }
    }

    [Test, CancelAfter(20_000), NonParallelizable]
    public async Task InCluster_ServiceAccountFilesAndEnvironment_ReachesApiAndRereadsRotatedToken(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var dir = new TempDirectory();
        dir.Write("ca.crt", api.Server.CertificateAuthorityPem!);
        dir.Write("namespace", "team-a\n");
        var token = dir.Write("token", "not-yet-valid");
        // The package reads the ServiceAccount files from a fixed directory; a test points it at its own.
        var field = typeof(KubernetesClientConfiguration).GetField("ServiceAccountPath", BindingFlags.NonPublic | BindingFlags.Static)!;
        var saved = (field.GetValue(null), Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"), Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT"));
        field.SetValue(null, dir.Path);
        Environment.SetEnvironmentVariable("KUBERNETES_SERVICE_HOST", "127.0.0.1");
        Environment.SetEnvironmentVariable("KUBERNETES_SERVICE_PORT", api.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using var client = KubeClient.Create(new KubeOptions { Qps = 0 }, TimeProvider.System, NullLoggerFactory.Instance);
            var rejected = await client.ListAsync<Namespace>(null, null, cancellationToken);
            await File.WriteAllTextAsync(token, api.AdminToken, cancellationToken);
            var accepted = await client.ListAsync<Namespace>(null, null, cancellationToken);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(client.Source, Is.EqualTo("in-cluster configuration"));
                Assert.That(client.Server, Is.EqualTo(new Uri($"https://127.0.0.1:{api.BaseUrl.Port}/")));
                Assert.That(client.DefaultNamespace, Is.EqualTo("team-a"));
                Assert.That(rejected.Outcome, Is.EqualTo(KubeOutcome.Unauthorized));
                Assert.That(accepted.IsOk, Is.True, accepted.Message);
            }
        }
        finally
        {
            field.SetValue(null, saved.Item1);
            Environment.SetEnvironmentVariable("KUBERNETES_SERVICE_HOST", saved.Item2);
            Environment.SetEnvironmentVariable("KUBERNETES_SERVICE_PORT", saved.Item3);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task ProxyUrl_ForwardProxyWithCredentials_TunnelsToTheApi(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await using var proxy = new ConnectProxy("team-a/git:s3cret");
        using var dir = new TempDirectory();
        var cluster = $"proxy-url: 'http://team-a%2Fgit:s3cret@{proxy.Authority}'";
        using var client = Create(dir, Kubeconfig(api, $"{{token: {api.AdminToken}}}", cluster));
        var result = await client.ListAsync<Namespace>(null, null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsOk, Is.True, result.Message);
            Assert.That(proxy.Seen, Does.Contain($"CONNECT {api.BaseUrl.Authority} HTTP/1.1 Basic {Convert.ToBase64String("team-a/git:s3cret"u8.ToArray())}"));
        }
    }

    private static string Kubeconfig(EmbeddedApi api, string user, string? clusterExtra = null) =>
        $"apiVersion: v1\ncurrent-context: c\n"
        + $"clusters: [{{name: embedded, cluster: {{server: '{api.BaseUrl.ToString().TrimEnd('/')}', certificate-authority-data: {TestPki.Base64(api.Server.CertificateAuthorityPem!)}{(clusterExtra is null ? string.Empty : ", " + clusterExtra)}}}}}]\n"
        + "contexts: [{name: c, context: {cluster: embedded, user: u}}]\n"
        + $"users: [{{name: u, user: {user}}}]\n";

    private static KubeClient Create(TempDirectory dir, string kubeconfig) =>
        KubeClient.Create(new KubeOptions { Kubeconfig = dir.Write("kubeconfig", kubeconfig), Qps = 0 }, TimeProvider.System, NullLoggerFactory.Instance);
}
