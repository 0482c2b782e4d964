using k8s;
using k8s.Authentication;
using k8s.KubeConfigModels;

namespace Connectors.Modules.Kube;

/// <summary>
/// Where the client's configuration comes from, read by KubernetesClient: <c>Kube:Kubeconfig</c> when set; otherwise
/// in-cluster inside a pod; otherwise the first file of <c>$KUBECONFIG</c>, then <c>~/.kube/config</c>. On top of the
/// package: kubeconfig <c>proxy-url</c> and <c>tokenFile</c>, a token renewed after a 401, and errors that name the
/// file and context. (The package's BuildDefaultConfig is not used: it prefers a kubeconfig to the pod's own
/// ServiceAccount and falls back to http://localhost:8080 when nothing is configured.)
/// </summary>
internal static class KubeConfigResolver
{
    /// <exception cref="KubeConfigException">No usable configuration; the message names the file or context.</exception>
    public static KubeClientConfig Resolve(KubeOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Kubeconfig))
        {
            return FromFile(options.Kubeconfig, options.Context);
        }

        if (string.IsNullOrEmpty(options.Context) && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")))
        {
            return InCluster();
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return FromFile(fromEnvironment, options.Context);
        }

        return File.Exists(KubernetesClientConfiguration.KubeConfigDefaultLocation)
            ? FromFile(KubernetesClientConfiguration.KubeConfigDefaultLocation, options.Context)
            : throw new KubeConfigException("no Kubernetes configuration: not running in a pod (KUBERNETES_SERVICE_HOST is unset) and no kubeconfig (--kubeconfig, $KUBECONFIG or ~/.kube/config)");
    }

    /// <exception cref="KubeConfigException">The file is missing or malformed, or the context cannot be used.</exception>
    public static KubeClientConfig FromFile(string path, string? context)
    {
        path = Path.GetFullPath(path);
        var root = KubeconfigExtras.Load(path);
        var model = KubeconfigModel.Bind(root, path);
        var name = string.IsNullOrEmpty(context) ? model.CurrentContext : context;
        if (string.IsNullOrEmpty(name))
        {
            throw new KubeConfigException($"kubeconfig {path} has no current-context; pass --context");
        }

        if (!model.Contexts.Exists(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new KubeConfigException($"kubeconfig {path} has no context \"{name}\"");
        }

        var source = $"context \"{name}\" of kubeconfig {path}";
        var extras = KubeconfigExtras.For(root, path, name);
        var user = UserOf(model, name);
        var tokenFile = user is { Token: null or "", ExternalExecution: null } ? extras.TokenFile : null;
        if (tokenFile is not null)
        {
            // The package does not know tokenFile (client-go: a token in the kubeconfig wins over it). Read it once here
            // so a missing file fails at start; the package's TokenFileAuth then re-reads it every minute.
            user!.Token = ReadToken(tokenFile, source);
        }

        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(model, name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new KubeConfigException($"{source}: {OneLine(e)}", e);
        }

        RenewableTokenProvider? tokens = null;
        if (tokenFile is not null)
        {
            configuration.TokenProvider = tokens = new RenewableTokenProvider(new TokenFileAuth(tokenFile), () => new TokenFileAuth(tokenFile));
        }
        else if (configuration.TokenProvider is { } plugin && user?.ExternalExecution is { } exec)
        {
            configuration.TokenProvider = tokens = new RenewableTokenProvider(plugin, () => new ExecTokenProvider(exec));
        }

        KubeClientFactory.AddProxy(configuration, extras.ProxyUrl);
        return new KubeClientConfig(configuration, source, tokens);
    }

    /// <summary>The pod's ServiceAccount: <c>KUBERNETES_SERVICE_HOST</c>/<c>PORT</c>, its CA, namespace and rotated token.</summary>
    /// <exception cref="KubeConfigException">The variables or the ServiceAccount files are missing or invalid.</exception>
    public static KubeClientConfig InCluster()
    {
        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.InClusterConfig();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new KubeConfigException($"in-cluster configuration: {OneLine(e)}", e);
        }

        configuration.Namespace = configuration.Namespace?.Trim();
        var tokens = new RenewableTokenProvider(configuration.TokenProvider, () => KubernetesClientConfiguration.InClusterConfig().TokenProvider);
        configuration.TokenProvider = tokens;
        return new KubeClientConfig(configuration, "in-cluster configuration", tokens);
    }

    /// <summary>The package's messages may carry an inner exception's whole text: the first line is enough.</summary>
    internal static string OneLine(Exception e) =>
        e.Message.Split('\n', 2)[0].Trim() is { Length: > 0 } line ? line : e.GetType().Name;

    private static UserCredentials? UserOf(K8SConfiguration model, string context)
    {
        var userName = model.Contexts?.FirstOrDefault(c => string.Equals(c.Name, context, StringComparison.OrdinalIgnoreCase))?.ContextDetails?.User;
        return userName is null ? null : model.Users?.FirstOrDefault(u => string.Equals(u.Name, userName, StringComparison.OrdinalIgnoreCase))?.UserCredentials;
    }

    private static string ReadToken(string path, string source)
    {
        string token;
        try
        {
            token = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"{source}: cannot read tokenFile {path}: {e.Message}", e);
        }

        return token.Length > 0 ? token : throw new KubeConfigException($"{source}: tokenFile {path} is empty");
    }
}
