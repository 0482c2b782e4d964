using System.Text.Json.Nodes;
using k8s.KubeConfigModels;

namespace Connectors.Modules.Kube;

/// <summary>
/// Binds a kubeconfig already read as a JSON tree (<see cref="KubeconfigExtras.Load"/>) to the package's
/// <see cref="K8SConfiguration"/>, whose <c>BuildConfigFromConfigObject</c> then does the rest (context, cluster, user,
/// certificates, exec plugin). Field binding only: the package's own YAML reader (a static YamlDotNet deserializer
/// and serializer built at first use) costs each role ~4.9 MiB at idle, and the project parses the file anyway for
/// <c>proxy-url</c> and <c>tokenFile</c> (docs/decisions.md, "Kubernetes client").
/// </summary>
internal static class KubeconfigModel
{
    public static K8SConfiguration Bind(JsonObject root, string path) => new()
    {
        ApiVersion = Text(root, "apiVersion"),
        Kind = Text(root, "kind"),
        CurrentContext = Text(root, "current-context"),
        FileName = path,
        Contexts = Entries(root, "contexts", "context", (name, o) => new Context
        {
            Name = name,
            ContextDetails = o is null ? null : new ContextDetails { Cluster = Text(o, "cluster"), User = Text(o, "user"), Namespace = Text(o, "namespace") },
        }),
        Clusters = Entries(root, "clusters", "cluster", (name, o) => new Cluster
        {
            Name = name,
            ClusterEndpoint = o is null ? null : new ClusterEndpoint
            {
                Server = Text(o, "server"),
                CertificateAuthority = Text(o, "certificate-authority"),
                CertificateAuthorityData = Text(o, "certificate-authority-data"),
                TlsServerName = Text(o, "tls-server-name"),
                SkipTlsVerify = o["insecure-skip-tls-verify"] is JsonValue v && (v.TryGetValue<bool>(out var skip) ? skip : Text(o, "insecure-skip-tls-verify") == "true"),
            },
        }),
        Users = Entries(root, "users", "user", (name, o) => new User { Name = name, UserCredentials = o is null ? null : Credentials(o) }),
    };

    private static UserCredentials Credentials(JsonObject o) => new()
    {
        ClientCertificate = Text(o, "client-certificate"),
        ClientCertificateData = Text(o, "client-certificate-data"),
        ClientKey = Text(o, "client-key"),
        ClientKeyData = Text(o, "client-key-data"),
        Token = Text(o, "token"),
        UserName = Text(o, "username"),
        Password = Text(o, "password"),
        AuthProvider = o["auth-provider"] is JsonObject provider
            ? new AuthProvider { Name = Text(provider, "name"), Config = Map(provider["config"] as JsonObject) }
            : null,
        ExternalExecution = o["exec"] is JsonObject exec
            ? new ExternalExecution
            {
                ApiVersion = Text(exec, "apiVersion"),
                Command = Text(exec, "command"),
                Arguments = exec["args"] is JsonArray args ? [.. args.Select(a => Scalar(a) ?? string.Empty)] : null,
                EnvironmentVariables = exec["env"] is JsonArray env ? [.. env.OfType<JsonObject>().Select(Map)] : null,
                InstallHint = Text(exec, "installHint"),
                ProvideClusterInfo = exec["provideClusterInfo"] is JsonValue p && p.TryGetValue<bool>(out var provide) && provide,
            }
            : null,
    };

    private static List<T> Entries<T>(JsonObject root, string list, string inner, Func<string?, JsonObject?, T> create) =>
        root[list] is JsonArray entries ? [.. entries.OfType<JsonObject>().Select(e => create(Text(e, "name"), e[inner] as JsonObject))] : [];

    private static Dictionary<string, string> Map(JsonObject? node) =>
        node is null ? [] : node.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => Scalar(p.Value) ?? string.Empty);

    private static string? Text(JsonObject node, string field) => Scalar(node[field]);

    /// <summary>A scalar as the package's YAML reader gives it: strings as they are, numbers and booleans as written.</summary>
    private static string? Scalar(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag ? "true" : "false",
        JsonValue value => value.ToJsonString(),
        _ => null,
    };
}
