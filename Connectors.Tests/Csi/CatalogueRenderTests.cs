using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Connectors.Modules.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Csi;

/// <summary>
/// The shipped classes' configurations (manifests/connectorclasses) rendered by the CSI driver for a Connector:
/// maven, sonarqube, nexus, jfrog and github's githubconfig, with the original's configuration and file names.
/// Exact file contents; settings.xml is also parsed as XML.
/// </summary>
[TestFixture]
public sealed class CatalogueRenderTests
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private const string Token = "token-team-builder-1";
    private static readonly XNamespace Settings = "http://maven.apache.org/SETTINGS/1.0.0";

    private static ConnectorClass Shipped(string name) => KubeYaml.Load<ConnectorClass>(TestData.Read("manifests", "connectorclasses", name + ".yaml"));

    private static async Task<Dictionary<string, string>> PublishAsync(
        string className, string address, string configuration, string? parameters, CancellationToken cancellationToken, Action<Connector>? change = null, ConnectorClass? connectorClass = null)
    {
        await using var driver = await CsiTestDriver.StartAsync(cancellationToken);
        driver.Kube.Add(connectorClass ?? Shipped(className));
        var connector = CsiRequests.Connector("tool", className, proxy: "http://c-tool.team.svc.cluster.local");
        connector.Spec.Address = address;
        change?.Invoke(connector);
        driver.Kube.Add(connector);
        driver.Kube.Add(CsiRequests.ProxyCa(Pem));
        driver.Kube.Allow(CsiRequests.User, "team", "tool");
        var pod = driver.Directory.Combine("pods", Guid.NewGuid().ToString("N"), "volumes");
        Directory.CreateDirectory(pod);
        var target = Path.Combine(pod, "mount");
        var attributes = new List<(string, string)> { ("connector.name", "tool"), ("configuration.names", configuration) };
        if (parameters is not null)
        {
            attributes.Add(("configuration.params", parameters));
        }

        await driver.PublishAsync(CsiRequests.Publish(target, [.. attributes]), cancellationToken);
        return Directory.GetFiles(target).ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f, Encoding.UTF8));
    }

    private static string ProxyBlock(string user = "team/tool") => $"""
          <proxies>
            <proxy>
              <id>connectors-proxy</id>
              <active>true</active>
              <protocol>http</protocol>
              <host>c-tool.team.svc.cluster.local</host>
              <port>80</port>
              <username>{user}</username>
              <password>{Token}</password>
              <nonProxyHosts>localhost</nonProxyHosts>
            </proxy>
          </proxies>
        """;

    private const string SettingsHead = """
        <?xml version="1.0" encoding="UTF-8"?>
        <settings xmlns="http://maven.apache.org/SETTINGS/1.0.0"
                  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                  xsi:schemaLocation="http://maven.apache.org/SETTINGS/1.0.0 https://maven.apache.org/xsd/settings-1.0.0.xsd">

        """;

    private static string Mirror(string id, string url) => $"""

          <mirrors>
            <mirror>
              <id>{id}</id>
              <url>{url}</url>
              <mirrorOf>*</mirrorOf>
            </mirror>
          </mirrors>
        """;

    [Test, CancelAfter(20_000)]
    public async Task Maven_Settings_ProxyAndNoMirrorByClassDefault(CancellationToken cancellationToken)
    {
        var files = await PublishAsync("maven", "https://repo.example.com/maven2", "settings", null, cancellationToken);

        var xml = XDocument.Parse(files["settings.xml"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(files["settings.xml"], Is.EqualTo(SettingsHead + ProxyBlock() + "\n</settings>\n"));
            Assert.That(xml.Root!.Element(Settings + "proxies")!.Element(Settings + "proxy")!.Element(Settings + "host")!.Value, Is.EqualTo("c-tool.team.svc.cluster.local"));
            Assert.That(xml.Root.Element(Settings + "mirrors"), Is.Null);
            Assert.That(files["ca.cert"], Is.EqualTo(Pem));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Maven_SettingsUseAsMirror_MirrorsEverythingToTheEscapedAddress(CancellationToken cancellationToken)
    {
        var files = await PublishAsync("maven", "https://repo.example.com/maven2?a=1&b=2", "settings", null, cancellationToken,
            c => c.Spec.Params = [new NamedValue { Name = "useAsMirror", Value = JsonValue.Create("true") }]);

        var xml = XDocument.Parse(files["settings.xml"]);
        var mirror = xml.Root!.Element(Settings + "mirrors")!.Element(Settings + "mirror")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(files["settings.xml"], Is.EqualTo(SettingsHead + ProxyBlock() + Mirror("connectors-mirror", "https://repo.example.com/maven2?a=1&amp;b=2") + "\n</settings>\n"));
            Assert.That(mirror.Element(Settings + "url")!.Value, Is.EqualTo("https://repo.example.com/maven2?a=1&b=2"));
            Assert.That(mirror.Element(Settings + "mirrorOf")!.Value, Is.EqualTo("*"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Sonarqube_ScannerProperties_PointAtTheForwardProxy(CancellationToken cancellationToken)
    {
        var files = await PublishAsync("sonarqube", "https://sonar.example.com/", "sonar-scanner", null, cancellationToken);
        Assert.That(files["sonar-project.properties"], Is.EqualTo(
            "sonar.host.url=https://sonar.example.com\n"
            + "sonar.scanner.proxyHost=c-tool.team.svc.cluster.local\n"
            + "sonar.scanner.proxyPort=80\n"
            + "sonar.scanner.proxyUser=team%2Ftool\n"
            + $"sonar.scanner.proxyPassword={Token}\n"));
    }

    [Test, CancelAfter(20_000)]
    public async Task Nexus_SettingsWithMirrorRepository_RepositoryUrlLayout(CancellationToken cancellationToken)
    {
        var files = await PublishAsync("nexus", "https://nexus.example.com/", "settings", """{"settings":{"mirrorRepository":"maven-public"}}""", cancellationToken);
        XDocument.Parse(files["settings.xml"]);
        Assert.That(files["settings.xml"], Is.EqualTo(SettingsHead + ProxyBlock() + Mirror("connectors-mirror", "https://nexus.example.com/repository/maven-public") + "\n</settings>\n"));
    }

    [Test, CancelAfter(20_000)]
    public async Task Nexus_SettingsWithoutParams_NoMirror(CancellationToken cancellationToken)
    {
        var files = await PublishAsync("nexus", "https://nexus.example.com", "settings", null, cancellationToken);
        Assert.That(files["settings.xml"], Is.EqualTo(SettingsHead + ProxyBlock() + "\n</settings>\n"));
    }

    [Test, CancelAfter(20_000)]
    public async Task Nexus_NpmrcYarnrcPipconfPypirc_RepositoryLayout(CancellationToken cancellationToken)
    {
        const string parameters = """{"npmrc":{"registry":"npm-group"},"yarnrc":{"registry":"npm-group","strictSSL":"false"},"pipconf":{"repository":"pypi-group"},"pypirc":{"deployRepository":"pypi-hosted"}}""";
        var files = await PublishAsync("nexus", "https://nexus.example.com", "npmrc,yarnrc,pipconf,pypirc", parameters, cancellationToken);
        const string proxy = "http://team%2Ftool:" + Token + "@c-tool.team.svc.cluster.local";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(files[".npmrc"], Is.EqualTo(
                "# npm through the Connectors forward proxy: the proxy adds the real credential, the _auth below is a placeholder.\n"
                + "registry=https://nexus.example.com/repository/npm-group/\n"
                + "//nexus.example.com/repository/npm-group/:_auth=Y29ubmVjdG9yczpwbGFjZWhvbGRlcg==\n"
                + $"proxy={proxy}\nhttps-proxy={proxy}\nstrict-ssl=true\naudit=false\nfund=false\n"));
            Assert.That(files[".yarnrc.yml"], Is.EqualTo(
                "npmRegistryServer: \"https://nexus.example.com/repository/npm-group/\"\n"
                + "npmPublishRegistry: \"https://nexus.example.com/repository/npm-group/\"\n"
                + "npmAuthIdent: \"Y29ubmVjdG9yczpwbGFjZWhvbGRlcg==\"\n"
                + "npmAlwaysAuth: true\n"
                + $"httpProxy: \"{proxy}\"\nhttpsProxy: \"{proxy}\"\n"
                + "unsafeHttpWhitelist:\n  - \"nexus.example.com\"\nenableStrictSsl: false\n"));
            Assert.That(files["pip.conf"], Is.EqualTo(
                $"[global]\nproxy = {proxy}\nindex-url = https://nexus.example.com/repository/pypi-group/simple/\ntrusted-host = nexus.example.com\ntimeout = 30\n"));
            Assert.That(files[".pypirc"], Is.EqualTo(
                "[distutils]\nindex-servers =\n    connectors-pypi\n\n[connectors-pypi]\n"
                + $"repository = http://c-tool.team.svc.cluster.local/repository/pypi-hosted/\nusername = team-tool\npassword = {Token}\n"));
            Assert.That(files["ca.cert"], Is.EqualTo(Pem));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Nexus_NpmrcWithoutRegistry_FailsNamingTheParam(CancellationToken cancellationToken)
    {
        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => PublishAsync("nexus", "https://nexus.example.com", "npmrc", null, cancellationToken));
        Assert.That(error!.Status.Detail, Does.Contain("configuration \"npmrc\" requires param \"registry\""));
    }

    [Test, CancelAfter(20_000)]
    public async Task Jfrog_Configurations_ArtifactoryUrlLayout(CancellationToken cancellationToken)
    {
        const string parameters = """{"settings":{"mirrorRepository":"libs-release"},"npmrc":{"repository":"npm-remote"},"pipconf":{"repository":"pypi-remote"},"pypirc":{"deployRepository":"pypi-local"}}""";
        var files = await PublishAsync("jfrog", "https://jfrog.example.com/", "settings,npmrc,pipconf,pypirc", parameters, cancellationToken);
        XDocument.Parse(files["settings.xml"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(files["settings.xml"], Is.EqualTo(SettingsHead + ProxyBlock() + Mirror("tool-mirror", "https://jfrog.example.com/artifactory/libs-release") + "\n</settings>\n"));
            Assert.That(files[".npmrc"], Does.Contain("\nregistry=https://jfrog.example.com/artifactory/api/npm/npm-remote/\n//jfrog.example.com/artifactory/api/npm/npm-remote/:_auth="));
            Assert.That(files["pip.conf"], Does.Contain("\nindex-url = https://jfrog.example.com/artifactory/api/pypi/pypi-remote/simple/\n"));
            Assert.That(files[".pypirc"], Does.Contain("\nrepository = http://c-tool.team.svc.cluster.local/artifactory/api/pypi/pypi-local/\n"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Github_Githubconfig_GhFilesWithPlaceholderToken(CancellationToken cancellationToken)
    {
        var files = await PublishAsync("github", "https://github.com", "githubconfig", null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(files["config.yml"], Is.EqualTo("version: \"1\"\ngit_protocol: https\nprompt: disabled\npager: cat\n"));
            Assert.That(files["hosts.yml"], Is.EqualTo("github.com:\n    oauth_token: placeholder-token-replaced-by-the-connectors-proxy\n    user: connectors\n    git_protocol: https\n"));
            Assert.That(files["ca.cert"], Is.EqualTo(Pem));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Publish_ExtensionOnlyInClassDefault_TemplatesSeeTheDefault(CancellationToken cancellationToken)
    {
        var connectorClass = CsiRequests.Class("hub", CsiRequests.Configuration("ext", ("ext.txt", "{{ range .connector.spec.addressExtensions }}{{ .name }}={{ .value }}{{ end }}")));
        connectorClass.Spec.AddressExtensions = [new ParamSpec { Name = "api", Default = JsonValue.Create("https://api.github.com") }];

        var files = await PublishAsync("hub", "https://github.com", "ext", null, cancellationToken, connectorClass: connectorClass);

        Assert.That(files["ext.txt"], Is.EqualTo("api=https://api.github.com"));
    }
}
