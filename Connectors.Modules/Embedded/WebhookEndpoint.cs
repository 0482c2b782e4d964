using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// Where a webhook's <c>clientConfig</c> points: the URL the request names (its host is what TLS verifies) and
/// the address the connection really goes to. The embedded API has no cluster network, so a Service reference
/// maps to an address by a rule of its own (docs/decisions.md, "Admission webhooks in the embedded API"): an
/// <c>ExternalName</c> Service to its external name, a Service whose <c>clusterIP</c> is a loopback address to
/// that address and the referenced Service port; any other Service has no address here (a call failure, which
/// the webhook's <c>failurePolicy</c> decides). TLS always verifies <c>&lt;service&gt;.&lt;namespace&gt;.svc</c>,
/// as kube-apiserver does.
/// </summary>
internal sealed record WebhookEndpoint(Uri Url, string ConnectHost, int ConnectPort)
{
    /// <summary>The endpoint, or an error sentence (the call fails with it).</summary>
    public static (WebhookEndpoint? Endpoint, string? Error) Resolve(JsonObject clientConfig, Func<string, string, JsonObject?> service)
    {
        if ((string?)clientConfig["url"] is { Length: > 0 } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                return (null, $"clientConfig.url \"{url}\" is not an https URL");
            }

            return (new WebhookEndpoint(uri, uri.IdnHost, uri.Port), null);
        }

        if (clientConfig["service"] is not JsonObject reference)
        {
            return (null, "clientConfig has neither url nor service");
        }

        var ns = (string?)reference["namespace"] ?? "";
        var name = (string?)reference["name"] ?? "";
        var port = reference["port"] is JsonValue p && p.TryGetValue<int>(out var given) ? given : 443;
        var path = (string?)reference["path"] is { Length: > 0 } given2 ? given2 : "/";
        var target = new Uri($"https://{name}.{ns}.svc:{port.ToString(CultureInfo.InvariantCulture)}{(path.StartsWith('/') ? path : "/" + path)}");
        if (service(ns, name) is not { } svc)
        {
            return (null, $"service \"{name}\" not found");
        }

        var spec = svc["spec"] as JsonObject;
        if ((string?)spec?["type"] == "ExternalName" && (string?)spec["externalName"] is { Length: > 0 } external)
        {
            return (new WebhookEndpoint(target, external, port), null);
        }

        if ((string?)spec?["clusterIP"] is { } ip && IPAddress.TryParse(ip, out var address) && IPAddress.IsLoopback(address))
        {
            return (new WebhookEndpoint(target, ip, port), null);
        }

        return (null, $"service \"{ns}/{name}\" has no address the embedded API can reach (clusterIP {(string?)spec?["clusterIP"] ?? "none"} is virtual here): give it spec.clusterIP 127.0.0.1 with the serving port, or type ExternalName");
    }
}
