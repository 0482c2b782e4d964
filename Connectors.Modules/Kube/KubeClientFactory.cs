using System.Net;
using k8s;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Kube;

/// <summary>
/// Turns <see cref="KubeOptions"/> into a <see cref="KubeClient"/>: the configuration from <see cref="KubeConfigResolver"/>,
/// the package's <see cref="Kubernetes"/> client for the HTTP pipeline (TLS, client certificates, credentials), and the
/// project's transport on top (rate limit, timeouts, outcomes, reachability).
/// </summary>
internal static class KubeClientFactory
{
    /// <exception cref="KubeConfigException">No usable configuration.</exception>
    public static KubeClient Create(KubeOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
        Create(KubeConfigResolver.Resolve(options), options, timeProvider, loggerFactory);

    /// <summary>A client for <paramref name="config"/>; <paramref name="handlers"/> go into the package's pipeline, outermost first (tests inject faults there).</summary>
    /// <exception cref="KubeConfigException">The package rejects the configuration (a client certificate it cannot load).</exception>
    public static KubeClient Create(KubeClientConfig config, KubeOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, params DelegatingHandler[] handlers)
    {
        var configuration = config.Configuration;
        configuration.UserAgent = "connectors/" + (typeof(KubeClientFactory).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
        var setup = configuration.FirstMessageHandlerSetup;
        configuration.FirstMessageHandlerSetup = handler =>
        {
            handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
            handler.ConnectTimeout = TimeSpan.FromSeconds(10);
            handler.AutomaticDecompression = DecompressionMethods.GZip;
            setup?.Invoke(handler);
        };
        Kubernetes api;
        try
        {
            api = new Kubernetes(configuration, handlers);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new KubeConfigException($"{config.Source}: {KubeConfigResolver.OneLine(e)}", e);
        }

        var limiter = new KubeRateLimiter(options.Qps, options.Burst, timeProvider);
        return new KubeClient(new KubeTransport(config, api, limiter, options.RequestTimeout, timeProvider, loggerFactory.CreateLogger<KubeClient>()));
    }

    /// <summary>
    /// Sends every connection through the kubeconfig's <c>proxy-url</c> (the package ignores it); as kubectl does,
    /// user:password in the URL (percent-decoded) become the proxy's Basic credentials. Null keeps the environment's proxy.
    /// </summary>
    public static void AddProxy(KubernetesClientConfiguration configuration, Uri? proxyUrl)
    {
        if (proxyUrl is null)
        {
            return;
        }

        var proxy = new WebProxy(new UriBuilder(proxyUrl) { UserName = string.Empty, Password = string.Empty }.Uri);
        if (!string.IsNullOrEmpty(proxyUrl.UserInfo))
        {
            var parts = proxyUrl.UserInfo.Split(':', 2);
            proxy.Credentials = new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
        }

        var setup = configuration.FirstMessageHandlerSetup;
        configuration.FirstMessageHandlerSetup = handler =>
        {
            setup?.Invoke(handler);
            handler.Proxy = proxy;
            handler.UseProxy = true;
        };
    }
}
