using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Kube;

/// <summary>Turns <see cref="KubeOptions"/> into a <see cref="KubeClient"/>: kubeconfig, or in-cluster files.</summary>
internal static class KubeClientFactory
{
    /// <exception cref="KubeConfigException">No usable configuration.</exception>
    public static KubeClient Create(KubeOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        var config = Resolve(options, Environment.GetEnvironmentVariable, InClusterConfig.DefaultDirectory, timeProvider);
        return Create(config, options, timeProvider, loggerFactory);
    }

    public static KubeClient Create(KubeClientConfig config, KubeOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        var limiter = new KubeRateLimiter(options.Qps, options.Burst, timeProvider);
        var transport = new KubeTransport(config, KubeHttpHandler.Create(config), limiter, options.RequestTimeout, timeProvider, loggerFactory.CreateLogger<KubeClient>());
        return new KubeClient(transport);
    }

    /// <summary>
    /// <c>Kube:Kubeconfig</c> when set; otherwise in-cluster inside a pod; otherwise the first file of
    /// <c>$KUBECONFIG</c>, then <c>~/.kube/config</c>.
    /// </summary>
    /// <exception cref="KubeConfigException">No usable configuration.</exception>
    public static KubeClientConfig Resolve(KubeOptions options, Func<string, string?> environment, string inClusterDirectory, TimeProvider timeProvider)
    {
        if (!string.IsNullOrWhiteSpace(options.Kubeconfig))
        {
            return KubeconfigLoader.Load(options.Kubeconfig, options.Context, timeProvider);
        }

        if (InClusterConfig.IsAvailable(environment) && string.IsNullOrEmpty(options.Context))
        {
            return InClusterConfig.Load(inClusterDirectory, environment, timeProvider);
        }

        var fromEnvironment = environment("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return KubeconfigLoader.Load(fromEnvironment, options.Context, timeProvider);
        }

        var home = environment("HOME");
        var standard = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".kube", "config");
        return standard is not null && File.Exists(standard)
            ? KubeconfigLoader.Load(standard, options.Context, timeProvider)
            : throw new KubeConfigException("no Kubernetes configuration: not running in a pod (KUBERNETES_SERVICE_HOST is unset) and no kubeconfig (--kubeconfig, $KUBECONFIG or ~/.kube/config)");
    }
}
