using Connectors.Modules.Kube;
using Connectors.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Tests.Kube;

/// <summary>Kube clients for the embedded API fixture: the admin's, or a ServiceAccount's.</summary>
internal static class EmbeddedKube
{
    public static KubeClient Admin(EmbeddedApi api, double qps = 0) =>
        KubeClient.Create(new KubeOptions { Kubeconfig = api.KubeconfigPath, Qps = qps }, TimeProvider.System, NullLoggerFactory.Instance);

    /// <summary>A client that authenticates with <paramref name="token"/> instead of the admin token.</summary>
    public static KubeClient WithToken(EmbeddedApi api, string token, TempDirectory dir)
    {
        var yaml = File.ReadAllText(api.KubeconfigPath).Replace(api.AdminToken, token, StringComparison.Ordinal);
        return KubeClient.Create(new KubeOptions { Kubeconfig = dir.Write("kubeconfig-" + Guid.NewGuid().ToString("N"), yaml), Qps = 0 }, TimeProvider.System, NullLoggerFactory.Instance);
    }

    /// <summary>An admin client whose connections go through <paramref name="proxy"/>.</summary>
    public static KubeClient ThroughProxy(EmbeddedApi api, TcpFaultProxy proxy, TempDirectory dir)
    {
        var yaml = File.ReadAllText(api.KubeconfigPath).Replace(api.BaseUrl.Authority, proxy.Authority, StringComparison.Ordinal);
        return KubeClient.Create(new KubeOptions { Kubeconfig = dir.Write("kubeconfig-" + Guid.NewGuid().ToString("N"), yaml), Qps = 0, RequestTimeout = TimeSpan.FromSeconds(2) }, TimeProvider.System, NullLoggerFactory.Instance);
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds; false if it does not within <paramref name="timeout"/>.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20, cancellationToken);
        }

        return true;
    }
}
