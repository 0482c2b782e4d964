using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Connectors.Modules.Templates;

namespace Connectors.Bench;

/// <summary>
/// Render cost of the templates the product renders most: the §9 configuration files (gitconfig, kubeconfig,
/// glab config) over CSI data, and the §2.3 git auth probe over probe data. Parsing is cached by the engine,
/// so each operation measures one render. Run: <c>dotnet run -c Release --project bench/Connectors.Bench -- --filter '*Template*'</c>.
/// </summary>
[MemoryDiagnoser]
public class TemplateBenchmarks
{
    private const string Gitconfig = """
        [http]
            extraHeader = Authorization: Basic {{ printf ":%s" .context.token | b64enc }}
        {{- range .connectors }}
        [url "{{ .status.proxyAddress }}/"]
            insteadOf = {{ .spec.address }}
        {{- end }}

        """;

    private const string Kubeconfig = """
        {{- $proxy := urlParse .connector.status.proxyAddress -}}
        apiVersion: v1
        kind: Config
        clusters:
        - name: k8s
          cluster:
            server: {{ .connector.spec.address }}
            proxy-url: {{ $proxy.scheme }}://{{ printf "%s/%s" .connector.metadata.namespace .connector.metadata.name | urlquery }}:{{ .context.token }}@{{ $proxy.host }}
            certificate-authority-data: {{ .context.proxy.caCert | b64enc }}
        users:
        - name: k8s
          user:
            token: fake-token
        current-context: k8s

        """;

    private const string Glab = """
        {{- $p := urlParse .connector.status.proxyAddress -}}
        git_protocol: http
        host: {{ $p.host }}
        hosts:
          {{ $p.host }}:
            token: {{ .context.token }}
            container_registry_domains: {{ $p.host }},{{ $p.host }}:443,registry.{{ $p.host }}
            api_host: {{ $p.host }}

        """;

    private const string ProbePath = "/{{- range .Connector.Spec.Auth.Params }}{{- if eq .Name \"repository\" }}{{ .Value.StringVal }}{{ end }}{{- end }}/info/refs?service=git-upload-pack";

    private const string ProbeHeader = "{{- if .Secret }}Basic {{ printf \"%s:%s\" .Secret.StringData.username .Secret.StringData.password | b64enc }} {{- end }}";

    private readonly TemplateEngine _engine = new();
    private TemplateValue _csi = TemplateValue.Null;
    private TemplateValue _probe = TemplateValue.Null;

    [GlobalSetup]
    public void Setup()
    {
        _csi = TemplateValue.ParseJson("""
            {"connector":{"metadata":{"name":"k8s","namespace":"team-a"},"spec":{"address":"https://10.0.0.1:6443/prefix"},
              "status":{"proxyAddress":"http://c-k8s.team-a.svc.cluster.local"}},
             "connectors":[{"spec":{"address":"https://github.com/"},"status":{"proxyAddress":"http://c-git.team-a.svc"}},
                           {"spec":{"address":"https://gitlab.example.com/"},"status":{"proxyAddress":"http://c-gitlab.team-a.svc"}}],
             "context":{"token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZWFtLWEifQ.c2ln","proxy":{"caCert":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}}}
            """);
        _probe = TemplateValue.ForProbe(
            JsonNode.Parse("""{"spec":{"address":"https://git.example.com","auth":{"params":[{"name":"repository","value":"org/repo.git"}]}}}"""),
            new Dictionary<string, string> { ["username"] = "gituser", ["password"] = "gitpass" });
    }

    [Benchmark]
    public string? RenderGitconfig() => _engine.Render("gitconfig", Gitconfig, _csi, RenderOptions.Default, CancellationToken.None).Output;

    [Benchmark]
    public string? RenderKubeconfig() => _engine.Render("kubeconfig", Kubeconfig, _csi, RenderOptions.Default, CancellationToken.None).Output;

    [Benchmark]
    public string? RenderGlabConfig() => _engine.Render("gitlabconfig", Glab, _csi, RenderOptions.Default, CancellationToken.None).Output;

    [Benchmark]
    public string? RenderProbePathAndHeader() =>
        _engine.Render("path", ProbePath, _probe, RenderOptions.Default, CancellationToken.None).Output
        + _engine.Render("header", ProbeHeader, _probe, RenderOptions.Default, CancellationToken.None).Output;

    [Benchmark]
    public TemplateValue ConvertCsiData() => TemplateValue.ParseJson("""{"connector":{"metadata":{"name":"k8s","namespace":"team-a"},"spec":{"address":"https://10.0.0.1:6443/"}},"context":{"token":"t"}}""");
}
