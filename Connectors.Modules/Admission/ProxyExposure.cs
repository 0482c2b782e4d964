using System.Globalization;
using Connectors.Modules.Model;

namespace Connectors.Modules.Admission;

/// <summary>
/// The <c>host:port</c> kubelet pulls rewritten images from: the proxy Service's
/// <c>connectors.alauda.io/external-url</c> annotation when set (an Ingress, or <c>127.0.0.1:&lt;port&gt;</c> in
/// embedded mode), else by the exposure setting: <c>ClusterIP</c> (cluster IP and Service port) or
/// <c>NodePort</c> (<c>localhost:&lt;nodePort&gt;</c>, reachable from every node's kubelet).
/// </summary>
internal static class ProxyExposure
{
    public static (string? Host, string? Problem) Resolve(Service? service, string exposure)
    {
        if (service is null)
        {
            return (null, $"Service {WellKnown.ProxyServiceName} not found in the components namespace");
        }

        if (service.Metadata.Annotations?.GetValueOrDefault(WellKnown.ExternalUrlAnnotation) is { Length: > 0 } external
            && Uri.TryCreate(external, UriKind.Absolute, out var url))
        {
            return (url.Authority, null);
        }

        var port = service.Spec?.Ports?.FirstOrDefault(p => p.Name == "http") ?? service.Spec?.Ports?.FirstOrDefault();
        if (port is null)
        {
            return (null, $"Service {WellKnown.ProxyServiceName} has no ports");
        }

        if (exposure == "NodePort")
        {
            return port.NodePort is { } nodePort && nodePort > 0
                ? ("localhost:" + nodePort.ToString(CultureInfo.InvariantCulture), null)
                : (null, $"Service {WellKnown.ProxyServiceName} has no nodePort (exposure NodePort needs spec.type NodePort)");
        }

        return service.Spec?.ClusterIP is { Length: > 0 } ip && ip != "None"
            ? ((ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip) + ":" + port.Port.ToString(CultureInfo.InvariantCulture), null)
            : (null, $"Service {WellKnown.ProxyServiceName} has no cluster IP");
    }
}
