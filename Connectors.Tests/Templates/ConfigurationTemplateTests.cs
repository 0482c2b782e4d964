using System.Text.Json.Nodes;
using Connectors.Modules.Model;
using Connectors.Modules.Templates;
using Connectors.Tests.Support;

namespace Connectors.Tests.Templates;

[TestFixture]
public sealed class ConfigurationTemplateTests
{
    private const string Csi = """
        {"connector":{"metadata":{"name":"k8s","namespace":"team-a"},"spec":{"address":"https://10.0.0.1:6443/prefix"},
          "status":{"proxyAddress":"http://c-k8s.team-a.svc.cluster.local"}},
         "connectors":[{"spec":{"address":"https://github.com/"},"status":{"proxyAddress":"http://c-git.team-a.svc"}}],
         "context":{"token":"tok","proxy":{"caCert":"PEM"}}}
        """;

    private static string Render(string name, string text, TemplateValue data)
    {
        var result = new TemplateEngine().Render(name, text, data, RenderOptions.Default, CancellationToken.None);
        Assert.That(result.Error, Is.Null);
        return result.Output!;
    }

    [Test]
    public void Render_Gitconfig_MatchesSection91()
    {
        const string text = "[http]\n    extraHeader = Authorization: Basic {{ printf \":%s\" .context.token | b64enc }}\n{{- range .connectors }}\n[url \"{{ .status.proxyAddress }}/\"]\n    insteadOf = {{ .spec.address }}\n{{- end }}\n";
        Assert.That(Render("gitconfig", text, TemplateValue.ParseJson(Csi)),
            Is.EqualTo("[http]\n    extraHeader = Authorization: Basic OnRvaw==\n[url \"http://c-git.team-a.svc/\"]\n    insteadOf = https://github.com/\n"));
    }

    [Test]
    public void Render_Kubeconfig_MatchesSection93()
    {
        const string text = """
            {{- $proxy := urlParse .connector.status.proxyAddress -}}
            server: {{ .connector.spec.address }}
            proxy-url: {{ $proxy.scheme }}://{{ printf "%s/%s" .connector.metadata.namespace .connector.metadata.name | urlquery }}:{{ .context.token }}@{{ $proxy.host }}
            certificate-authority-data: {{ .context.proxy.caCert | b64enc }}
            """;
        Assert.That(Render("kubeconfig", text, TemplateValue.ParseJson(Csi)), Is.EqualTo(
            "server: https://10.0.0.1:6443/prefix\nproxy-url: http://team-a%2Fk8s:tok@c-k8s.team-a.svc.cluster.local\ncertificate-authority-data: UEVN"));
    }

    [Test]
    public void Render_GlabConfig_UsesProxyHost()
    {
        const string text = "{{- $p := urlParse .connector.status.proxyAddress -}}\nhost: {{ $p.host }}\nhosts:\n  {{ $p.host }}:\n    token: {{ .context.token }}\n    container_registry_domains: {{ $p.host }},{{ $p.host }}:443,registry.{{ $p.host }}\n";
        Assert.That(Render("gitlabconfig", text, TemplateValue.ParseJson(Csi)), Is.EqualTo(
            "host: c-k8s.team-a.svc.cluster.local\nhosts:\n  c-k8s.team-a.svc.cluster.local:\n    token: tok\n    container_registry_domains: c-k8s.team-a.svc.cluster.local,c-k8s.team-a.svc.cluster.local:443,registry.c-k8s.team-a.svc.cluster.local\n"));
    }

    [TestCase("http://c-gitlab.team-a.svc.cluster.local", "c-gitlab.team-a.svc.cluster.local", "c-gitlab.team-a.svc.cluster.local")]
    [TestCase("http://127.0.0.1:8080/namespaces/team-a/connectors/gitlab", "127.0.0.1:8080", "127.0.0.1:8080/namespaces/team-a/connectors/gitlab")]
    public void Render_ShippedGlabConfig_ApiHostKeepsTheConnectorPath(string proxyAddress, string host, string apiHost)
    {
        // glab calls <api_protocol>://<api_host>/api/v4/: a path-form proxy address (embedded mode, an external URL)
        // must keep the Connector's path there, or the proxy cannot tell which Connector is addressed.
        var gitlab = KubeYaml.Load<ConnectorClass>(TestData.Read("manifests", "connectorclasses", "gitlab.yaml"));
        var text = gitlab.Spec.Configurations!.Single(c => c.Name == "gitlabconfig").Data!["config.yml"];
        var data = TemplateValue.ParseJson($$$"""{"connector":{"status":{"proxyAddress":"{{{proxyAddress}}}"}},"context":{"token":"tok"}}""");

        var output = Render("gitlabconfig", text, data);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(output, Does.Contain($"\nhost: {host}\n"));
            Assert.That(output, Does.Contain($"\n  {host}:\n    token: tok\n"));
            Assert.That(output, Does.Contain($"\n    api_host: {apiHost}\n"));
        }
    }

    [Test]
    public void Render_CanonicalGitAuthProbe_BuildsPathAndHeader()
    {
        var connector = JsonNode.Parse("""{"spec":{"address":"https://git.example.com","auth":{"params":[{"name":"repository","value":"org/repo.git"}]}}}""");
        const string path = "/{{- range .Connector.Spec.Auth.Params }}{{- if eq .Name \"repository\" }}{{ .Value.StringVal }}{{ end }}{{- end }}/info/refs?service=git-upload-pack";
        const string header = "{{- if .Secret }}Basic {{ printf \"%s:%s\" .Secret.StringData.username .Secret.StringData.password | b64enc }} {{- end }}";
        var withSecret = TemplateValue.ForProbe(connector, new Dictionary<string, string> { ["username"] = "gituser", ["password"] = "gitpass" });
        var withoutSecret = TemplateValue.ForProbe(connector, null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Render("path", path, withSecret), Is.EqualTo("/org/repo.git/info/refs?service=git-upload-pack"));
            Assert.That(Render("header", header, withSecret), Is.EqualTo("Basic Z2l0dXNlcjpnaXRwYXNz"));
            Assert.That(Render("header", header, withoutSecret), Is.Empty);
        }
    }

    [Test]
    public void Render_ProbeSecretFieldWithoutSecret_IsNilPointerError()
    {
        var result = new TemplateEngine().Render("h", "{{ .Secret.StringData.token }}", TemplateValue.ForProbe(new JsonObject(), null), RenderOptions.Default, CancellationToken.None);
        Assert.That(result.Error, Does.Contain("nil pointer evaluating *v1.Secret.StringData"));
    }
}
