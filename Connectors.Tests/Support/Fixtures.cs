using Connectors.Modules.Model;

namespace Connectors.Tests.Support;

/// <summary>Connector, ConnectorClass and Secret objects shaped like the reference's built-in <c>git</c> class.</summary>
public static class Fixtures
{
    /// <summary>The canonical git auth probe path of the reference (§2.3).</summary>
    public const string GitAuthProbePath =
        "/{{- range .Connector.Spec.Auth.Params }}{{- if eq .Name \"repository\" }}{{ .Value.StringVal }}{{ end }}{{- end }}/info/refs?service=git-upload-pack";

    /// <summary>The canonical git auth probe Authorization header value of the reference (§2.3).</summary>
    public const string GitAuthProbeHeader =
        "{{- if .Secret }}Basic {{ printf \"%s:%s\" .Secret.StringData.username .Secret.StringData.password | b64enc }} {{- end }}";

    public static ConnectorClass GitClass(string name = "git", bool withProxy = true, string proxyNamespace = "connectors-system") => new()
    {
        Metadata = new ObjectMeta { Name = name, Generation = 1 },
        Spec = new ConnectorClassSpec
        {
            Address = new ParamSpec { Name = "address", Type = "string" },
            Auth = new ConnectorClassAuth
            {
                Types = [new AuthType { Name = "basicAuth", SecretType = SecretTypes.BasicAuth, Optional = true }],
            },
            LivenessProbe = new Probe { Http = new HttpProbeSpec { Path = "/" } },
            AuthProbes =
            [
                new AuthProbe
                {
                    AuthName = "basicAuth",
                    Params = [new ParamSpec { Name = "repository", Type = "string" }],
                    Probe = new Probe
                    {
                        Http = new HttpProbeSpec
                        {
                            Path = GitAuthProbePath,
                            HttpHeaders = [new HttpHeaderSpec { Name = "Authorization", Value = GitAuthProbeHeader }],
                        },
                    },
                },
            ],
            Proxy = withProxy
                ? new ConnectorClassProxy { Ref = new ServiceRef { Kind = "Service", Name = WellKnown.ProxyServiceName, Namespace = proxyNamespace } }
                : null,
        },
    };

    public static Connector GitConnector(string ns, string name, string address, string? secretName = "git-creds", string className = "git", string repository = "org/repo.git") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Generation = 1, Uid = Guid.NewGuid().ToString() },
        Spec = new ConnectorSpec
        {
            ConnectorClassName = className,
            Address = address,
            Auth = new ConnectorAuth
            {
                Name = "basicAuth",
                SecretRef = secretName is null ? null : new ObjectReference { Name = secretName },
                Params = [new NamedValue { Name = "repository", Value = repository }],
            },
        },
    };

    public static Secret BasicAuthSecret(string ns, string name, string username, string password) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Type = SecretTypes.BasicAuth,
        Data = new()
        {
            ["username"] = System.Text.Encoding.UTF8.GetBytes(username),
            ["password"] = System.Text.Encoding.UTF8.GetBytes(password),
        },
    };
}
