using System.Text.Json.Nodes;
using Connectors.Modules.Model;

namespace Connectors.Modules.Kube;

/// <summary>
/// What KubernetesClient does not read from a kubeconfig, for one context: the cluster's <c>proxy-url</c> and the
/// user's <c>tokenFile</c>; and, since the package's errors for them are bare OpenSSL or YAML messages, a check that
/// the file is YAML and that the certificate and key files it names exist. Names are matched as the package matches
/// them (ignoring case); relative paths are resolved against the kubeconfig's directory, as kubectl does.
/// </summary>
/// <param name="ProxyUrl">The cluster's <c>proxy-url</c> (http, https or socks5); null when not set.</param>
/// <param name="TokenFile">The full path of the user's <c>tokenFile</c>; null when not set.</param>
internal sealed record KubeconfigExtras(Uri? ProxyUrl, string? TokenFile)
{
    /// <summary>The kubeconfig as a JSON tree.</summary>
    /// <exception cref="KubeConfigException">The file cannot be read or is not YAML; the message names it.</exception>
    public static JsonObject Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "no such file (check --kubeconfig or $KUBECONFIG)" : e.Message;
            throw new KubeConfigException($"cannot read kubeconfig {path}: {reason}", e);
        }

        try
        {
            var documents = KubeYaml.LoadDocuments(text);
            return documents.Count == 1 && documents[0] is JsonObject root
                ? root
                : throw new FormatException(documents.Count switch
                {
                    0 => "the file is empty",
                    1 => "not a YAML mapping (a kubeconfig has apiVersion, clusters, users and contexts)",
                    var n => $"{n} YAML documents, want one",
                });
        }
        catch (FormatException e)
        {
            throw new KubeConfigException($"malformed kubeconfig {path}: {e.Message}", e);
        }
    }

    /// <exception cref="KubeConfigException"><c>proxy-url</c> is not a usable URL, or a named file is missing.</exception>
    public static KubeconfigExtras For(JsonObject root, string path, string context)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var details = Named(root, "contexts", "context", context);
        var clusterName = Text(details, "cluster");
        var cluster = Named(root, "clusters", "cluster", clusterName);
        var user = Named(root, "users", "user", Text(details, "user"));
        var source = $"context \"{context}\" of kubeconfig {path}";
        RequireFile(cluster, "certificate-authority", directory, source);
        RequireFile(user, "client-certificate", directory, source);
        RequireFile(user, "client-key", directory, source);
        var proxy = Text(cluster, "proxy-url");
        var tokenFile = Text(user, "tokenFile");
        return new KubeconfigExtras(
            proxy is null ? null : ParseProxy(proxy, $"cluster \"{clusterName}\" of kubeconfig {path}"),
            tokenFile is null ? null : Path.GetFullPath(tokenFile, directory));
    }

    private static void RequireFile(JsonObject? node, string field, string directory, string source)
    {
        if (Text(node, field) is { } file && Path.GetFullPath(file, directory) is var full && !File.Exists(full))
        {
            throw new KubeConfigException($"{source}: {field} {full} does not exist");
        }
    }

    private static Uri ParseProxy(string text, string source) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" or "socks5"
            ? url
            : throw new KubeConfigException($"{source}: proxy-url \"{text}\" is not a valid http(s) or socks5 URL");

    private static JsonObject? Named(JsonObject root, string list, string inner, string? name) =>
        name is null || root[list] is not JsonArray entries
            ? null
            : entries.OfType<JsonObject>().FirstOrDefault(e => string.Equals(Text(e, "name"), name, StringComparison.OrdinalIgnoreCase))?[inner] as JsonObject;

    private static string? Text(JsonObject? node, string field) =>
        node?[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
