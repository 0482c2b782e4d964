using System.Security.Cryptography.X509Certificates;
using System.Text;
using Connectors.Tests.Support;

namespace Connectors.Tests.Registry;

/// <summary>
/// Forward mode with a registry Connector: skopeo with <c>HTTPS_PROXY=http://team%2Freg:&lt;token&gt;@proxy</c> and the
/// proxy CA opens a CONNECT tunnel to the registry's own https address; the proxy intercepts it and runs the same
/// registry authentication on the requests inside.
/// </summary>
[TestFixture]
public sealed class RegistryForwardTests
{
    // Resolves to 127.0.0.1 (/etc/hosts) without being a loopback literal, which Go clients would not proxy.
    private const string RegistryHost = "vm";

    [Test, CancelAfter(60_000)]
    public async Task SkopeoCopy_HttpsProxyWithTheProxyCa_PushesAndPullsWithTheRegistryCredential(CancellationToken cancellationToken)
    {
        if (!File.ReadAllText("/etc/hosts").Split('\n').Any(l => l.StartsWith("127.0.0.1", StringComparison.Ordinal) && l.Split(' ', '\t').Contains(RegistryHost)))
        {
            Assert.Ignore($"/etc/hosts has no {RegistryHost} -> 127.0.0.1 entry; forward mode needs a registry host name that is not a loopback literal");
        }

        using var registryCa = new TestCertificates("registry CA");
        using var proxyCa = new TestCertificates("proxy CA");
        using var files = new TempDirectory();
        using var serverCertificate = registryCa.Server(RegistryHost);
        File.WriteAllText(files.Combine("registry.crt"), serverCertificate.ExportCertificatePem());
        File.WriteAllText(files.Combine("registry.key"), serverCertificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await using var fixture = await RegistryFixture.StartAsync(false, cancellationToken, RegistryHost, (files.Combine("registry.crt"), files.Combine("registry.key")));
        fixture.Proxy.Directory.Put(proxyCa.ProxyCaSecret());
        fixture.Proxy.Directory.Put(Secrets.Of("reg-ca", "Opaque", ("ca.crt", registryCa.CaPem)).WithNamespace("team"));
        fixture.Proxy.Directory.GetConnector("team", "reg")!.Spec.CaCertSecretRef = new() { Name = "reg-ca" };
        var certs = files.Combine("certs");
        Directory.CreateDirectory(certs);
        File.WriteAllText(Path.Combine(certs, "ca.crt"), proxyCa.CaPem);
        File.WriteAllText(files.Combine("empty.json"), "{\"auths\":{}}");
        var source = fixture.Directory.Combine("source");
        var layer = OciLayout.Create(source, "v1", "hello.txt", Encoding.UTF8.GetBytes("through the tunnel\n"));
        var proxy = $"http://team%2Freg:{RegistryFixture.Token}@{fixture.ProxyHost}";
        var image = $"docker://{fixture.Registry.BaseAddress.Authority}/demo/forward:v1";

        var push = await RegistryFixture.SkopeoAsync(proxy, cancellationToken,
            "copy", "--dest-cert-dir", certs, "--authfile", files.Combine("empty.json"), $"oci:{source}:v1", image);
        var pulled = fixture.Directory.Combine("pulled");
        var pull = await RegistryFixture.SkopeoAsync(proxy, cancellationToken,
            "copy", "--src-cert-dir", certs, "--authfile", files.Combine("empty.json"), image, $"oci:{pulled}:v1");
        var denied = await RegistryFixture.SkopeoAsync($"http://team%2Freg:{RegistryFixture.DeniedToken}@{fixture.ProxyHost}", cancellationToken,
            "copy", "--src-cert-dir", certs, "--authfile", files.Combine("empty.json"), image, $"oci:{fixture.Directory.Combine("denied")}:v1");

        var logs = fixture.Proxy.Logs;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(push.ExitCode, Is.Zero, push.Output);
            Assert.That(pull.ExitCode, Is.Zero, pull.Output);
            Assert.That(OciLayout.Blobs(pulled), Does.Contain(layer));
            Assert.That(denied.ExitCode, Is.Not.Zero, denied.Output);
            Assert.That(logs + push.Output + pull.Output + denied.Output, Does.Not.Contain(DistributionRegistry.Password));
            Assert.That(logs, Does.Not.Contain(RegistryFixture.Token));
        }
    }
}
