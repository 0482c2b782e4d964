using System.Text;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;

namespace Connectors.Bench.Controller;

/// <summary>The objects of the benchmark: a git class, a proxy Service, one Secret per namespace, the Connectors.</summary>
internal static class BenchObjects
{
    public const string User = "bench";
    public const string Password = "pw";
    public const string SharedSecret = "git-creds";
    public const string LagSecret = "lag-creds";
    public const string LagKey = "bench-0/lag";

    private const string ProbePath =
        "/{{- range .Connector.Spec.Auth.Params }}{{- if eq .Name \"repository\" }}{{ .Value.StringVal }}{{ end }}{{- end }}/info/refs?service=git-upload-pack";

    private const string ProbeHeader =
        "{{- if .Secret }}Basic {{ printf \"%s:%s\" .Secret.StringData.username .Secret.StringData.password | b64enc }} {{- end }}";

    public static async Task CreateAsync(KubeClient client, BenchSettings settings, ControllerScenario.ToolServer tool, CancellationToken ct)
    {
        await Must(client.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = WellKnown.DefaultComponentsNamespace } }, ct));
        await Must(client.CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = WellKnown.ProxyServiceName, Namespace = WellKnown.DefaultComponentsNamespace },
            Spec = new ServiceSpec { Ports = [new ServicePort { Name = "http", Port = 80 }] },
        }, ct));
        await Must(client.CreateAsync(GitClass(), ct));
        for (var n = 0; n < settings.Namespaces; n++)
        {
            await Must(client.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = $"bench-{n}" } }, ct));
            await Must(client.CreateAsync(Secret($"bench-{n}", SharedSecret), ct));
        }

        await Must(client.CreateAsync(Secret("bench-0", LagSecret), ct));
        await Must(client.CreateAsync(Connector("bench-0", "lag", LagSecret, tool.BaseAddress), ct));
        await Parallel.ForAsync(0, settings.Connectors, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (i, token) =>
            await Must(client.CreateAsync(Connector($"bench-{i % settings.Namespaces}", $"c{i}", SharedSecret, tool.BaseAddress), token)));
    }

    private static async Task Must<T>(Task<KubeResult<T>> call) => (await call).GetValueOrThrow();

    private static ConnectorClass GitClass() => new()
    {
        Metadata = new ObjectMeta { Name = "git" },
        Spec = new ConnectorClassSpec
        {
            Auth = new ConnectorClassAuth { Types = [new AuthType { Name = "basicAuth", SecretType = SecretTypes.BasicAuth, Optional = true }] },
            LivenessProbe = new Probe { Http = new HttpProbeSpec { Path = "/" } },
            AuthProbes =
            [
                new AuthProbe
                {
                    AuthName = "basicAuth",
                    Params = [new ParamSpec { Name = "repository" }],
                    Probe = new Probe { Http = new HttpProbeSpec { Path = ProbePath, HttpHeaders = [new HttpHeaderSpec { Name = "Authorization", Value = ProbeHeader }] } },
                },
            ],
            Proxy = new ConnectorClassProxy { Ref = new ServiceRef { Kind = "Service", Name = WellKnown.ProxyServiceName, Namespace = WellKnown.DefaultComponentsNamespace } },
        },
    };

    private static Secret Secret(string ns, string name) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Type = SecretTypes.BasicAuth,
        Data = new() { ["username"] = Encoding.UTF8.GetBytes(User), ["password"] = Encoding.UTF8.GetBytes(Password) },
    };

    private static Connector Connector(string ns, string name, string secret, string address) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new ConnectorSpec
        {
            ConnectorClassName = "git",
            Address = address,
            Auth = new ConnectorAuth
            {
                Name = "basicAuth",
                SecretRef = new ObjectReference { Name = secret },
                Params = [new NamedValue { Name = "repository", Value = $"org/{name}.git" }],
            },
        },
    };
}
