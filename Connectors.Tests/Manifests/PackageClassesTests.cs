using Connectors.Modules.Model;
using static Connectors.Tests.Manifests.ClassRendering;

namespace Connectors.Tests.Manifests;

/// <summary>The shipped <c>pypi</c> and <c>npm</c> classes' configurations (original §6.8, §6.9, §9.4) for one and two Connectors.</summary>
[TestFixture]
public sealed class PackageClassesTests
{
    private const string Placeholder = "Y29ubmVjdG9yczpyZXBsYWNlZC1ieS1jb25uZWN0b3JzLXByb3h5";   // connectors:replaced-by-connectors-proxy

    [Test]
    public void Render_PipConfOneConnector_IndexIsTheProxyAddressWithTheToken()
    {
        var files = Render("pipconf", Connector("pypi", "team", "pypi", "http://c-pypi.team.svc.cluster.local", "https://pypi.org"));

        Assert.That(files["pip.conf"], Is.EqualTo(
            $"[global]\nindex-url = http://team-pypi:{Token}@c-pypi.team.svc.cluster.local/simple/\ntimeout = 30\n\n[install]\ntrusted-host = c-pypi.team.svc.cluster.local\n"));
    }

    [Test]
    public void Render_PipConfTwoConnectors_SecondIsAnExtraIndexAndBothHostsTrusted()
    {
        var files = Render("pipconf",
            Connector("pypi", "team", "main", "http://127.0.0.1:8080/namespaces/team/connectors/main", "https://pypi.org"),
            Connector("pypi", "team", "private", "http://c-private.team.svc.cluster.local", "https://nexus.example.com/repository/pypi"));

        var ini = Ini(files["pip.conf"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ini["global"]["index-url"], Is.EqualTo($"http://team-main:{Token}@127.0.0.1:8080/namespaces/team/connectors/main/simple/"));
            Assert.That(ini["global"]["extra-index-url"], Is.EqualTo($"http://team-private:{Token}@c-private.team.svc.cluster.local/simple/"));
            Assert.That(ini["global"]["timeout"], Is.EqualTo("30"));
            Assert.That(ini["install"]["trusted-host"], Is.EqualTo("127.0.0.1:8080 c-private.team.svc.cluster.local"));
        }
    }

    [TestCase("http://c-pypi.team.svc.cluster.local", "http://c-pypi.team.svc.cluster.local/")]
    [TestCase("http://127.0.0.1:8080/namespaces/team/connectors/pypi", "http://127.0.0.1:8080/namespaces/team/connectors/pypi/")]
    public void Render_Pypirc_RepositoryConnectorsPypiAtTheProxyAddress(string proxy, string repository)
    {
        var files = Render("pypirc", Connector("pypi", "team", "pypi", proxy, "https://pypi.org"));

        Assert.That(files[".pypirc"], Is.EqualTo(
            $"[distutils]\nindex-servers =\n    connectors-pypi\n\n[connectors-pypi]\nrepository = {repository}\nusername = team-pypi\npassword = {Token}\n"));
    }

    [Test]
    public void Render_NpmrcOneConnector_RegistryPlaceholderAuthAndForwardProxy()
    {
        var files = Render("npmrc", Connector("npm", "team", "npm", "http://127.0.0.1:8080/namespaces/team/connectors/npm", "https://nexus.example.com/repository/npm-group"));

        var lines = files[".npmrc"].Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines, Is.EqualTo(new[]
            {
                "registry=https://nexus.example.com/repository/npm-group/",
                $"//nexus.example.com/repository/npm-group/:_auth={Placeholder}",
                $"proxy=http://team%2Fnpm:{Token}@127.0.0.1:8080",
                $"https-proxy=http://team%2Fnpm:{Token}@127.0.0.1:8080",
                "strict-ssl=true", "audit=false", "fund=false",
            }));
            Assert.That(files["ca.cert"], Is.EqualTo(CaPem));
        }
    }

    // registryType (§6.8): download mirror > all > publish > current; publish publish > all > empty > mirror > current.
    [TestCase("", "", 0, 0)]
    [TestCase("publish", "mirror", 1, 0)]
    [TestCase("all", "publish", 0, 1)]
    [TestCase("mirror", "", 0, 1)]
    [TestCase("", "publish", 1, 1)]
    [TestCase("", "all", 1, 1)]
    [TestCase("mirror", "mirror", 0, 0)]
    [TestCase("mirror", "all", 0, 1)]
    public void Render_NpmTwoConnectors_RegistryTypeChoosesDownloadAndPublishRegistry(string first, string second, int download, int publish)
    {
        string[] addresses = ["https://one.example.com/npm", "https://two.example.com/npm"];
        var mounted = new[]
        {
            Connector("npm", "team", "one", "http://c-one.team.svc.cluster.local", addresses[0], Params(first)),
            Connector("npm", "team", "two", "http://c-two.team.svc.cluster.local", addresses[1], Params(second)),
        };

        var npmrc = Render("npmrc", mounted)[".npmrc"];
        var yarnrc = KubeYaml.LoadDocuments(Render("yarnrc", mounted)[".yarnrc.yml"]).Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(npmrc, Does.Contain($"\nregistry={addresses[download]}/\n"));
            Assert.That(npmrc, Does.Contain($"npm publish --registry {addresses[publish]}/\n"));
            Assert.That(npmrc, Does.Contain($"\n//one.example.com/npm/:_auth={Placeholder}\n//two.example.com/npm/:_auth={Placeholder}\n"));
            Assert.That((string?)yarnrc["npmRegistryServer"], Is.EqualTo(addresses[download]));
            Assert.That((string?)yarnrc["npmPublishRegistry"], Is.EqualTo(addresses[publish]));
        }
    }

    [TestCase("true", true)]
    [TestCase("false", false)]
    public void Render_YarnrcStrictSsl_ParsedByYaml(string strictSsl, bool expected)
    {
        var mounted = Connector("npm", "team", "npm", "http://127.0.0.1:8080/namespaces/team/connectors/npm", "http://registry.local:4873/", ("strict-ssl", strictSsl));

        var files = Render("yarnrc", mounted);
        var yarnrc = KubeYaml.LoadDocuments(files[".yarnrc.yml"]).Single().AsObject();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(yarnrc.Select(p => p.Key), Is.EqualTo(new[]
            {
                "npmRegistryServer", "npmPublishRegistry", "npmAlwaysAuth", "npmAuthIdent", "unsafeHttpWhitelist", "httpProxy", "httpsProxy", "enableStrictSsl",
            }));
            Assert.That((string?)yarnrc["npmRegistryServer"], Is.EqualTo("http://registry.local:4873"));
            Assert.That((bool)yarnrc["npmAlwaysAuth"]!, Is.True);
            Assert.That((string?)yarnrc["npmAuthIdent"], Is.EqualTo(Placeholder));
            Assert.That(yarnrc["unsafeHttpWhitelist"]!.AsArray().Select(h => (string?)h), Is.EqualTo(new[] { "registry.local" }));
            Assert.That((string?)yarnrc["httpsProxy"], Is.EqualTo($"http://team%2Fnpm:{Token}@127.0.0.1:8080"));
            Assert.That((bool)yarnrc["enableStrictSsl"]!, Is.EqualTo(expected));
            Assert.That(files["ca.cert"], Is.EqualTo(CaPem));
        }
    }

    [Test]
    public void ShippedNpmClass_RegistryType_DeclaresTheOriginalValuesAndDefaults()
    {
        var parameters = Class("npm").Spec.Params!.ToDictionary(p => p.Name!);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(parameters["registryType"].Enum, Is.EqualTo(new[] { "mirror", "publish", "all", "" }));
            Assert.That(parameters["registryType"].Default?.ToString(), Is.Empty);
            Assert.That(parameters["strict-ssl"].Default?.ToString(), Is.EqualTo("true"));
        }
    }

    private static (string, string)[] Params(string registryType) => registryType.Length == 0 ? [] : [("registryType", registryType)];

    /// <summary>INI sections as pip's configparser reads them (continuation lines joined, indentation dropped).</summary>
    private static Dictionary<string, Dictionary<string, string>> Ini(string text)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        string? key = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('['))
            {
                current = sections[line.Trim('[', ']')] = [];
            }
            else if (line.StartsWith(' ') && key is not null && line.Trim().Length > 0)
            {
                current![key] = (current[key] + "\n" + line.Trim()).Trim();
            }
            else if (line.Contains(" = ", StringComparison.Ordinal) || line.EndsWith(" =", StringComparison.Ordinal))
            {
                var parts = line.Split('=', 2);
                key = parts[0].Trim();
                current![key] = parts[1].Trim();
            }
        }

        return sections;
    }
}
