using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Connectors.Modules.Model;

namespace Connectors.Modules.Kube;

/// <summary>
/// Reads a kubeconfig file (clusters, users, contexts, current-context) into a <see cref="KubeClientConfig"/> for one
/// context. Relative file paths are resolved against the kubeconfig's directory, as kubectl does.
/// </summary>
internal static class KubeconfigLoader
{
    /// <exception cref="KubeConfigException">The file is missing or malformed, or the context cannot be used.</exception>
    public static KubeClientConfig Load(string path, string? context, TimeProvider timeProvider)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"cannot read kubeconfig {path}: {e.Message}", e);
        }

        JsonObject root;
        try
        {
            var documents = KubeYaml.LoadDocuments(text);
            root = documents.Count == 1 && documents[0] is JsonObject o
                ? o
                : throw new FormatException($"want one YAML mapping, found {documents.Count} documents");
        }
        catch (FormatException e)
        {
            throw new KubeConfigException($"malformed kubeconfig {path}: {e.Message}", e);
        }

        return Parse(root, Path.GetFullPath(path), context, timeProvider);
    }

    /// <exception cref="KubeConfigException">The context cannot be used.</exception>
    public static KubeClientConfig Parse(JsonObject root, string path, string? context, TimeProvider timeProvider)
    {
        var reader = new KubeconfigReader(path);
        var name = string.IsNullOrEmpty(context) ? reader.String(root, "current-context") : context;
        if (string.IsNullOrEmpty(name))
        {
            throw new KubeConfigException($"kubeconfig {path} has no current-context; pass --context");
        }

        var source = $"context \"{name}\" of kubeconfig {path}";
        var ctx = reader.Named(root, "contexts", "context", name)
            ?? throw new KubeConfigException($"kubeconfig {path} has no context \"{name}\"");
        var clusterName = reader.String(ctx, "cluster") ?? throw new KubeConfigException($"{source} names no cluster");
        var cluster = reader.Named(root, "clusters", "cluster", clusterName)
            ?? throw new KubeConfigException($"{source} names cluster \"{clusterName}\", which kubeconfig {path} does not define");
        var userName = reader.String(ctx, "user");
        var user = string.IsNullOrEmpty(userName) ? new JsonObject() : reader.Named(root, "users", "user", userName)
            ?? throw new KubeConfigException($"{source} names user \"{userName}\", which kubeconfig {path} does not define");

        var server = ParseUrl(reader.String(cluster, "server"), $"{source}: cluster \"{clusterName}\" server", requireHttp: true);
        var userSource = $"user \"{userName}\" of kubeconfig {path}";
        var certificate = ClientCertificate(reader, user, userSource);
        return new KubeClientConfig
        {
            Server = server,
            Source = source,
            Namespace = reader.String(ctx, "namespace"),
            CertificateAuthorities = Authorities(reader, cluster, $"cluster \"{clusterName}\" of kubeconfig {path}"),
            InsecureSkipTlsVerify = reader.Bool(cluster, "insecure-skip-tls-verify"),
            TlsServerName = reader.String(cluster, "tls-server-name"),
            ProxyUrl = reader.String(cluster, "proxy-url") is { Length: > 0 } proxy
                ? ParseUrl(proxy, $"cluster \"{clusterName}\" of kubeconfig {path}: proxy-url", requireHttp: false)
                : null,
            ClientCertificate = certificate,
            Credentials = Credentials(reader, user, userSource, server, timeProvider),
        };
    }

    private static Uri ParseUrl(string? text, string what, bool requireHttp)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new KubeConfigException($"{what} is empty");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url)
            || (requireHttp ? url.Scheme is not ("https" or "http") : url.Scheme is not ("https" or "http" or "socks5")))
        {
            throw new KubeConfigException($"{what} \"{text}\" is not a valid {(requireHttp ? "http(s)" : "http(s) or socks5")} URL");
        }

        return url;
    }

    private static X509Certificate2Collection? Authorities(KubeconfigReader reader, JsonObject cluster, string source)
    {
        var pem = reader.Pem(cluster, "certificate-authority-data", "certificate-authority", source);
        if (pem is null)
        {
            return null;
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new KubeConfigException($"{source}: certificate-authority is not a PEM certificate: {e.Message}", e);
        }

        return roots.Count > 0 ? roots : throw new KubeConfigException($"{source}: certificate-authority holds no PEM certificate");
    }

    private static X509Certificate2? ClientCertificate(KubeconfigReader reader, JsonObject user, string source)
    {
        var cert = reader.Pem(user, "client-certificate-data", "client-certificate", source);
        var key = reader.Pem(user, "client-key-data", "client-key", source);
        if (cert is null && key is null)
        {
            return null;
        }

        if (cert is null || key is null)
        {
            throw new KubeConfigException($"{source}: a client certificate needs both client-certificate and client-key");
        }

        try
        {
            return X509Certificate2.CreateFromPem(cert, key);
        }
        catch (CryptographicException e)
        {
            throw new KubeConfigException($"{source}: client certificate and key are not a usable PEM pair: {e.Message}", e);
        }
    }

    private static ICredentialSource? Credentials(KubeconfigReader reader, JsonObject user, string source, Uri server, TimeProvider timeProvider)
    {
        if (user["auth-provider"] is JsonObject provider)
        {
            throw new KubeConfigException($"{source}: auth-provider \"{reader.String(provider, "name")}\" is not supported; use an exec plugin");
        }

        if (user["exec"] is JsonObject exec)
        {
            return new ExecCredentials(reader.Exec(exec, source), server, timeProvider);
        }

        if (reader.String(user, "token") is { Length: > 0 } token)
        {
            return StaticCredentials.Bearer(token);
        }

        if (reader.String(user, "tokenFile") is { Length: > 0 } tokenFile)
        {
            return new TokenFileCredentials(reader.Resolve(tokenFile), timeProvider);
        }

        return reader.String(user, "username") is { Length: > 0 } username
            ? StaticCredentials.Basic(username, reader.String(user, "password") ?? string.Empty)
            : null;
    }
}
