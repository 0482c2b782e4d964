using System.Text.Json.Nodes;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Tests.Kube;

/// <summary>Client behaviour that needs a hand-made server: TLS trust, client certificates, credential refresh, status mapping.</summary>
[TestFixture]
public sealed class KubeClientTransportTests
{
    [TestCase(404, KubeOutcome.NotFound)]
    [TestCase(409, KubeOutcome.Conflict)]
    [TestCase(410, KubeOutcome.Gone)]
    [TestCase(403, KubeOutcome.Forbidden)]
    [TestCase(401, KubeOutcome.Unauthorized)]
    [TestCase(422, KubeOutcome.Invalid)]
    [TestCase(429, KubeOutcome.Transient)]
    [TestCase(503, KubeOutcome.Transient)]
    [CancelAfter(10_000)]
    public async Task GetAsync_ErrorStatus_MapsToOutcomeWithStatusMessage(int code, KubeOutcome expected, CancellationToken cancellationToken)
    {
        await using var server = await LoopbackApi.StartAsync(async context =>
        {
            context.Response.StatusCode = code;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["kind"] = "Status", ["code"] = code, ["message"] = $"answer {code}", ["reason"] = "Because" }, cancellationToken);
        }, cancellationToken);
        using var client = Create(server, server.Kubeconfig(string.Empty, "token: t"));
        var result = await client.GetAsync<Secret>("ns", "s", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(expected));
            Assert.That(result.Message, Is.EqualTo($"answer {code}"));
            Assert.That(result.Reason, Is.EqualTo("Because"));
            Assert.That(result.IsOk, Is.False);
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task GetAsync_ServerDown_IsTransientAndNamesTheUrl(CancellationToken cancellationToken)
    {
        Uri address;
        string kubeconfig;
        await using (var server = await LoopbackApi.StartAsync(_ => Task.CompletedTask, cancellationToken))
        {
            address = server.BaseAddress;
            kubeconfig = server.Kubeconfig(string.Empty, "token: t");
        }

        using var client = Create(null, kubeconfig);
        var result = await client.GetAsync<Secret>("ns", "s", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(KubeOutcome.Transient));
            Assert.That(result.Message, Does.Contain(address + "api/v1/namespaces/ns/secrets/s").And.Contain("cannot reach the Kubernetes API"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task GetAsync_TlsWithKubeconfigCaAndClientCertificate_Succeeds(CancellationToken cancellationToken)
    {
        using var ca = TestPki.CreateCa();
        using var serverCert = TestPki.CreateServer(ca);
        using var clientCert = TestPki.CreateClient(ca, "alice");
        string? seenClient = null;
        await using var server = await LoopbackApi.StartAsync(async context =>
        {
            seenClient = context.Connection.ClientCertificate?.Subject;
            await context.Response.WriteAsync("""{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"team-a","resourceVersion":"7"}}""", cancellationToken);
        }, cancellationToken, serverCert, requireClientCertificate: true);
        var cluster = $"certificate-authority-data: {TestPki.Base64(TestPki.CertificatePem(ca))}";
        var user = $"client-certificate-data: {TestPki.Base64(TestPki.CertificatePem(clientCert))}, client-key-data: {TestPki.Base64(TestPki.KeyPem(clientCert))}";
        using var client = Create(server, server.Kubeconfig(cluster, user));
        var result = await client.GetAsync<Namespace>(null, "team-a", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Value?.Metadata.ResourceVersion, Is.EqualTo("7"));
            Assert.That(seenClient, Is.EqualTo("CN=alice"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task GetAsync_ExecPluginReturnsClientCertificate_PresentsItInTheHandshake(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        using var ca = TestPki.CreateCa();
        using var serverCert = TestPki.CreateServer(ca);
        using var clientCert = TestPki.CreateClient(ca, "exec-user");
        var credential = new JsonObject
        {
            ["apiVersion"] = "client.authentication.k8s.io/v1",
            ["kind"] = "ExecCredential",
            ["status"] = new JsonObject { ["clientCertificateData"] = TestPki.CertificatePem(clientCert), ["clientKeyData"] = TestPki.KeyPem(clientCert) },
        };
        dir.Write("credential.json", credential.ToJsonString());
        var plugin = dir.Write("plugin.sh", $"#!/bin/sh\ncat '{dir.Path}/credential.json'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        string? seenClient = null;
        string? seenAuthorization = null;
        await using var server = await LoopbackApi.StartAsync(async context =>
        {
            seenClient = context.Connection.ClientCertificate?.Subject;
            seenAuthorization = context.Request.Headers.Authorization.ToString();
            await context.Response.WriteAsync("""{"kind":"Namespace","metadata":{"name":"a"}}""", cancellationToken);
        }, cancellationToken, serverCert, requireClientCertificate: true);
        var cluster = $"certificate-authority-data: {TestPki.Base64(TestPki.CertificatePem(ca))}";
        using var client = Create(server, server.Kubeconfig(cluster, $"exec: {{apiVersion: client.authentication.k8s.io/v1, command: '{plugin}'}}"));
        var result = await client.GetAsync<Namespace>(null, "a", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsOk, Is.True, result.Message);
            Assert.That(seenClient, Is.EqualTo("CN=exec-user"));
            Assert.That(seenAuthorization, Is.Empty);
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task GetAsync_ServerCertificateFromAnotherCa_IsRejected(CancellationToken cancellationToken)
    {
        using var ca = TestPki.CreateCa();
        using var otherCa = TestPki.CreateCa("other");
        using var serverCert = TestPki.CreateServer(otherCa);
        await using var server = await LoopbackApi.StartAsync(_ => Task.CompletedTask, cancellationToken, serverCert);
        using var client = Create(server, server.Kubeconfig($"certificate-authority-data: {TestPki.Base64(TestPki.CertificatePem(ca))}", "token: t"));
        var trusted = await client.GetAsync<Namespace>(null, "x", cancellationToken);
        using var insecure = Create(server, server.Kubeconfig("insecure-skip-tls-verify: true", "token: t"));
        var skipped = await insecure.GetAsync<Namespace>(null, "x", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(trusted.Outcome, Is.EqualTo(KubeOutcome.Transient));
            Assert.That(skipped.Outcome, Is.Not.EqualTo(KubeOutcome.Transient));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task SendAsync_TokenFileRotatedAfter401_RereadsFileAndRetriesOnce(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        var tokenFile = dir.Write("token", "old");
        var seen = new List<string>();
        await using var server = await LoopbackApi.StartAsync(async context =>
        {
            var auth = context.Request.Headers.Authorization.ToString();
            lock (seen)
            {
                seen.Add(auth);
            }

            if (auth != "Bearer new")
            {
                context.Response.StatusCode = 401;
                File.WriteAllText(tokenFile, "new");
                return;
            }

            await context.Response.WriteAsync("""{"kind":"Namespace","metadata":{"name":"a"}}""", cancellationToken);
        }, cancellationToken);
        using var client = Create(server, server.Kubeconfig(string.Empty, $"tokenFile: {tokenFile}"));
        var result = await client.GetAsync<Namespace>(null, "a", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsOk, Is.True);
            Assert.That(string.Join(", ", seen), Is.EqualTo("Bearer old, Bearer new"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task PatchAsync_MergePatch_SendsContentTypeAndStatusPath(CancellationToken cancellationToken)
    {
        string? contentType = null;
        string? path = null;
        await using var server = await LoopbackApi.StartAsync(async context =>
        {
            contentType = context.Request.ContentType;
            path = context.Request.Path;
            await context.Response.WriteAsync("""{"kind":"Connector","metadata":{"name":"c","namespace":"ns"},"spec":{}}""", cancellationToken);
        }, cancellationToken);
        using var client = Create(server, server.Kubeconfig(string.Empty, "token: t"));
        var result = await client.PatchAsync<Connector>("ns", "c", new JsonObject { ["status"] = new JsonObject() }, status: true, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsOk, Is.True);
            Assert.That(contentType, Is.EqualTo("application/merge-patch+json"));
            Assert.That(path, Is.EqualTo("/apis/connectors.alauda.io/v1alpha1/namespaces/ns/connectors/c/status"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task GetAsync_ServerUrlWithPath_KeepsThePathPrefix(CancellationToken cancellationToken)
    {
        string? path = null;
        await using var server = await LoopbackApi.StartAsync(async context =>
        {
            path = context.Request.Path;
            await context.Response.WriteAsync("""{"kind":"Namespace","metadata":{"name":"a"}}""", cancellationToken);
        }, cancellationToken);
        var kubeconfig = server.Kubeconfig(string.Empty, "token: t").Replace(server.BaseAddress.ToString().TrimEnd('/'), server.BaseAddress + "k8s/clusters/c-1", StringComparison.Ordinal);
        using var client = Create(server, kubeconfig);
        var result = await client.GetAsync<Namespace>(null, "a", cancellationToken);
        Assert.That((result.IsOk, path), Is.EqualTo((true, "/k8s/clusters/c-1/api/v1/namespaces/a")));
    }

    [Test, CancelAfter(10_000)]
    public async Task GetAsync_ProxyUrl_GoesThroughTheProxyWithItsCredentials(CancellationToken cancellationToken)
    {
        var seen = new List<string>();
        await using var proxy = await LoopbackApi.StartAsync(async context =>
        {
            var credentials = context.Request.Headers.ProxyAuthorization.ToString();
            lock (seen)
            {
                seen.Add($"{context.Request.Host}{context.Request.Path} {credentials}");
            }

            if (credentials.Length == 0)
            {
                context.Response.StatusCode = 407;
                context.Response.Headers.ProxyAuthenticate = "Basic realm=\"connectors\"";
                return;
            }

            await context.Response.WriteAsync("""{"kind":"Namespace","metadata":{"name":"a"}}""", cancellationToken);
        }, cancellationToken);
        var kubeconfig = "current-context: c\nclusters: [{name: k, cluster: {server: 'http://api.example.invalid:6443', proxy-url: 'http://team-a%2Fgit:s3cret@" + proxy.BaseAddress.Authority + "'}}]\n"
            + "contexts: [{name: c, context: {cluster: k, user: u}}]\nusers: [{name: u, user: {token: t}}]\n";
        using var client = Create(null, kubeconfig);
        var result = await client.GetAsync<Namespace>(null, "a", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsOk, Is.True, result.Message);
            Assert.That(seen.Last(), Is.EqualTo("api.example.invalid:6443/api/v1/namespaces/a Basic " + Convert.ToBase64String("team-a/git:s3cret"u8.ToArray())));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task VerifyAsync_RejectedToken_ThrowsOneLineNamingServerAndContext(CancellationToken cancellationToken)
    {
        await using var server = await LoopbackApi.StartAsync(context =>
        {
            context.Response.StatusCode = 401;
            return Task.CompletedTask;
        }, cancellationToken);
        using var client = Create(server, server.Kubeconfig(string.Empty, "token: expired"));
        Assert.That(async () => await KubeStartupCheck.VerifyAsync(client, TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken),
            Throws.TypeOf<KubeConfigException>().With.Message.Contains(server.BaseAddress.ToString()).And.Message.Contains("context \"test\"").And.Message.Contains("401"));
    }

    private static KubeClient Create(LoopbackApi? server, string kubeconfig)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}");
        File.WriteAllText(path, kubeconfig);
        try
        {
            return KubeClient.Create(new KubeOptions { Kubeconfig = path, Qps = 0 }, TimeProvider.System, NullLoggerFactory.Instance);
        }
        finally
        {
            _ = server;
            File.Delete(path);
        }
    }
}
