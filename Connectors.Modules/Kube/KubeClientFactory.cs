using System.Net;
using k8s;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Kube;

/// <summary>
/// Turns <see cref="KubeOptions"/> into a <see cref="KubeClient"/>: the configuration from <see cref="KubeConfigResolver"/>,
/// the package's credentials and TLS settings on a socket handler (<see cref="KubeHttpHandler"/>), and the project's
/// transport on top (rate limit, timeouts, outcomes, reachability).
/// </summary>
internal static class KubeClientFactory
{
    /// <exception cref="KubeConfigException">No usable configuration.</exception>
    public static KubeClient Create(KubeOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
        Create(KubeConfigResolver.Resolve(options), options, timeProvider, loggerFactory);

    /// <summary>A client for <paramref name="config"/>; <paramref name="handlers"/> go in front of the socket handler, outermost first (tests inject faults there).</summary>
    /// <exception cref="KubeConfigException">The client certificate cannot be loaded.</exception>
    public static KubeClient Create(KubeClientConfig config, KubeOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, params DelegatingHandler[] handlers)
    {
        HttpMessageHandler pipeline = KubeHttpHandler.Create(config);
        for (var i = handlers.Length - 1; i >= 0; i--)
        {
            handlers[i].InnerHandler = pipeline;
            pipeline = handlers[i];
        }

        var limiter = new KubeRateLimiter(options.Qps, options.Burst, timeProvider);
        return new KubeClient(new KubeTransport(config, pipeline, limiter, options.RequestTimeout, timeProvider, loggerFactory.CreateLogger<KubeClient>()));
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
