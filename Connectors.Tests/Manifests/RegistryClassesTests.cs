using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Connectors.Modules.Csi;
using Connectors.Modules.Model;

namespace Connectors.Tests.Manifests;

/// <summary>
/// The shipped <c>oci</c> and <c>harbor</c> classes' configurations rendered with the data the CSI driver builds
/// (<see cref="TemplateData"/>) for one and two mounted Connectors, each file parsed the way its client reads it.
/// </summary>
[TestFixture]
public sealed class RegistryClassesTests
{
    private const string Token = ClassRendering.Token;
    private const string ProxyHost = "127.0.0.1:8080";
    private static readonly string ExpectedAuth = Convert.ToBase64String(Encoding.UTF8.GetBytes("connector-proxy:" + Token));

    [TestCase("oci", "registry-config")]
    [TestCase("oci", "docker-config")]
    [TestCase("harbor", "registry-config")]
    [TestCase("harbor", "config")]
    public void Render_RegistryConfigOneConnector_AuthsTheProxyHostWithTheToken(string className, string configuration)
    {
        var files = Render(className, configuration, Mounted(className, ("team-a", "reg", $"http://{ProxyHost}/namespaces/team-a/connectors/reg")));

        var json = JsonNode.Parse(files["config.json"])!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(files.Keys, Is.EqualTo(new[] { "config.json" }));
            Assert.That(json.ToJsonString(), Is.EqualTo("{\"auths\":{\"" + ProxyHost + "\":{\"auth\":\"" + ExpectedAuth + "\"}}}"));
            Assert.That(Encoding.UTF8.GetString(Convert.FromBase64String((string)json["auths"]![ProxyHost]!["auth"]!)), Is.EqualTo("connector-proxy:" + Token));
            Assert.That(files["config.json"], Does.EndWith("}}}\n"));
        }
    }

    [TestCase("oci")]
    [TestCase("harbor")]
    public void Render_RegistryConfigTwoConnectors_OneEntryPerProxyHost(string className)
    {
        var twoHosts = Render(className, "registry-config", Mounted(className,
            ("team-a", "one", $"http://{ProxyHost}/namespaces/team-a/connectors/one"),
            ("team-b", "two", "http://connectors-proxy-service.connectors-system.svc.cluster.local/namespaces/team-b/connectors/two")));
        var oneHost = Render(className, "registry-config", Mounted(className,
            ("team-a", "one", $"http://{ProxyHost}/namespaces/team-a/connectors/one"),
            ("team-b", "two", $"http://{ProxyHost}/namespaces/team-b/connectors/two")));

        var auths = JsonNode.Parse(twoHosts["config.json"])!["auths"]!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(auths.Select(a => a.Key), Is.EqualTo(new[] { ProxyHost, "connectors-proxy-service.connectors-system.svc.cluster.local" }));
            Assert.That(auths.Select(a => (string)a.Value!["auth"]!), Is.All.EqualTo(ExpectedAuth));

            // Path-form Connectors of one proxy share its host: one entry (duplicate JSON keys would be ambiguous).
            Assert.That(JsonNode.Parse(oneHost["config.json"])!.ToJsonString(), Is.EqualTo("{\"auths\":{\"" + ProxyHost + "\":{\"auth\":\"" + ExpectedAuth + "\"}}}"));
        }
    }

    [TestCase("oci")]
    [TestCase("harbor")]
    public void Render_BuildkitdOneAndTwoConnectors_MarksEachProxyHostPlainHttp(string className)
    {
        var one = Render(className, "buildkitd", Mounted(className, ("team-a", "one", $"http://{ProxyHost}/namespaces/team-a/connectors/one")));
        var two = Render(className, "buildkitd", Mounted(className,
            ("team-a", "one", $"http://{ProxyHost}/namespaces/team-a/connectors/one"),
            ("team-b", "two", "http://c-two.team-b.svc.cluster.local")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(one["buildkitd.toml"], Is.EqualTo(
                "insecure-entitlements = [ \"network.host\", \"security.insecure\" ]\n\n[registry.\"127.0.0.1:8080\"]\n  http = true\n"));
            Assert.That(two["buildkitd.toml"], Is.EqualTo(
                "insecure-entitlements = [ \"network.host\", \"security.insecure\" ]\n\n[registry.\"127.0.0.1:8080\"]\n  http = true\n\n"
                + "[registry.\"c-two.team-b.svc.cluster.local\"]\n  http = true\n"));
            Assert.That(TomlTables(two["buildkitd.toml"]), Is.EqualTo(new[] { "registry.\"127.0.0.1:8080\"", "registry.\"c-two.team-b.svc.cluster.local\"" }));
        }
    }

    [Test]
    public void Render_HarborCliConfigTwoConnectors_OneCredentialPerConnectorAtTheOriginalAddress()
    {
        var files = Render("harbor", "harbor-cli-config", Mounted("harbor",
            ("team-a", "one", $"http://{ProxyHost}/namespaces/team-a/connectors/one", "https://harbor.example.com/"),
            ("team-b", "two", $"http://{ProxyHost}/namespaces/team-b/connectors/two", "https://harbor2.example.com:8443")));

        var config = KubeYaml.LoadDocuments(files["config.yaml"]).Single();
        var credentials = config["credentials"]!.AsArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(files.Keys, Is.EquivalentTo(new[] { "config.yaml", "HARBOR_ENCRYPTION_KEY", ".env" }));
            Assert.That((string?)config["current-credential-name"], Is.EqualTo("team-a/one"));
            Assert.That(credentials.Select(c => (string)c!["name"]!), Is.EqualTo(new[] { "team-a/one", "team-b/two" }));
            Assert.That(credentials.Select(c => (string)c!["serveraddress"]!), Is.EqualTo(new[] { "https://harbor.example.com", "https://harbor2.example.com:8443" }));
            Assert.That(credentials.Select(c => (string)c!["username"]!), Is.All.EqualTo("connector-proxy"));
            Assert.That(credentials.Select(c => c!.AsObject().Select(p => p.Key)), Is.All.EqualTo(new[] { "name", "username", "password", "serveraddress" }));
            Assert.That(files["config.yaml"], Does.Not.Contain(Token));
        }
    }

    [Test]
    public void Render_HarborCliConfig_PasswordIsWhatHarborCliDecryptsWithTheMountedKey()
    {
        // harbor-cli (pkg/utils/encryption.go): the key is the base64 of 16/24/32 bytes (HARBOR_ENCRYPTION_KEY); a
        // password is base64(nonce(12) || AES-GCM ciphertext || tag(16)), opened with no additional data.
        var files = Render("harbor", "harbor-cli-config", Mounted("harbor", ("team-a", "one", $"http://{ProxyHost}/namespaces/team-a/connectors/one")));
        var key = Convert.FromBase64String(files["HARBOR_ENCRYPTION_KEY"]);
        var sealedPassword = Convert.FromBase64String((string)KubeYaml.LoadDocuments(files["config.yaml"]).Single()["credentials"]![0]!["password"]!);
        var plaintext = new byte[sealedPassword.Length - 12 - 16];
        using (var gcm = new AesGcm(key, 16))
        {
            gcm.Decrypt(sealedPassword.AsSpan(0, 12), sealedPassword.AsSpan(12, plaintext.Length), sealedPassword.AsSpan(12 + plaintext.Length), plaintext);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(key, Has.Length.EqualTo(32));
            Assert.That(Encoding.UTF8.GetString(plaintext), Is.EqualTo("replaced-by-connectors-proxy"));
            Assert.That(files[".env"], Does.Contain("\nHARBOR_ENCRYPTION_KEY=" + files["HARBOR_ENCRYPTION_KEY"] + "\n"));
        }
    }

    [Test]
    public void Render_HarborEnvTwoConnectors_ForwardProxyWithBothConnectorsAndTheToken()
    {
        var files = Render("harbor", "harbor-cli-config", Mounted("harbor",
            ("team-a", "one", $"http://{ProxyHost}/namespaces/team-a/connectors/one"),
            ("team-b", "two", $"http://{ProxyHost}/namespaces/team-b/connectors/two")));

        var proxy = $"http://team-a%2Fone,team-b%2Ftwo:{Token}@{ProxyHost}";
        Assert.That(files[".env"], Is.EqualTo(
            $"http_proxy={proxy}\nhttps_proxy={proxy}\nno_proxy=localhost,127.0.0.1\nHARBOR_ENCRYPTION_KEY={files["HARBOR_ENCRYPTION_KEY"]}\n"));
    }

    [TestCase("oci")]
    [TestCase("harbor")]
    public void ShippedRegistryClass_Annotations_SelectRegistryModeAndPathResolver(string className)
    {
        var annotations = Class(className).Metadata.Annotations!;
        Assert.That((annotations["connectors.cpaas.io/proxy-mode"], annotations[WellKnown.ProxyResolverAnnotation]), Is.EqualTo(("registry", "path")));
    }

    private static ConnectorClass Class(string name) => ClassRendering.Class(name);

    private static MountedConnector[] Mounted(string className, params (string Ns, string Name, string Proxy)[] connectors) =>
        [.. connectors.Select(c => ClassRendering.Connector(className, c.Ns, c.Name, c.Proxy, "https://registry.example.com"))];

    private static MountedConnector[] Mounted(string className, params (string Ns, string Name, string Proxy, string Address)[] connectors) =>
        [.. connectors.Select(c => ClassRendering.Connector(className, c.Ns, c.Name, c.Proxy, c.Address))];

    private static Dictionary<string, string> Render(string className, string configuration, MountedConnector[] mounted)
    {
        Assert.That(mounted[0].Class.Metadata.Name, Is.EqualTo(className));
        return ClassRendering.Render(configuration, mounted);
    }

    /// <summary>The <c>[table]</c> headers of a TOML document, in order, after checking every other line is <c>key = value</c> or blank.</summary>
    private static string[] TomlTables(string toml)
    {
        var lines = toml.Split('\n');
        Assert.That(lines.Where(l => l.Length > 0 && !l.StartsWith('[')), Is.All.Match(@"^\s*[-a-z]+ = \S"));
        return [.. lines.Where(l => l.StartsWith('[')).Select(l => l.Trim('[', ']'))];
    }
}
