using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>
/// How a Service reference becomes a URL (decision recorded in docs/decisions.md): Knative's form
/// <c>http://&lt;name&gt;.&lt;namespace&gt;.svc.cluster.local</c>; <c>https</c> when the Service's first port is
/// 443; an explicit <c>:port</c> when it is neither 80 nor 443; then the <c>uri</c> path prefix.
/// </summary>
internal static class ServiceAddress
{
    public const string ClusterDomain = "svc.cluster.local";

    /// <summary>The in-cluster DNS name of Service <paramref name="name"/> in <paramref name="ns"/>.</summary>
    public static string Fqdn(string name, string ns) => $"{name}.{ns}.{ClusterDomain}";

    /// <summary>The URL of <paramref name="service"/> with the optional <paramref name="pathPrefix"/>.</summary>
    public static string Url(Service service, string? pathPrefix)
    {
        var port = service.Spec?.Ports is [var first, ..] ? first.Port : 80;
        var host = Fqdn(service.Metadata.Name ?? string.Empty, service.Metadata.Namespace ?? string.Empty);
        var authority = port switch
        {
            80 => "http://" + host,
            443 => "https://" + host,
            _ => $"http://{host}:{port}",
        };
        return authority + NormalizePrefix(pathPrefix);
    }

    /// <summary><c>/api</c> from <c>api</c>, <c>/api/</c> or <c>/api</c>; empty for nothing.</summary>
    public static string NormalizePrefix(string? prefix)
    {
        var trimmed = (prefix ?? string.Empty).Trim().TrimEnd('/');
        return trimmed.Length == 0 ? string.Empty : trimmed.StartsWith('/') ? trimmed : "/" + trimmed;
    }
}
