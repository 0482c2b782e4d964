using System.Text.Json.Nodes;
using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>
/// The per-connector Service <c>c-&lt;connector&gt;</c>: port 80, type ExternalName pointing at the class's proxy
/// host (so the Host header the proxy routes on is kept), owned by the Connector so it is collected with it.
/// </summary>
internal static class ConnectorService
{
    public const string NamePrefix = "c-";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedBy = "connectors-controller";

    /// <summary><c>c-&lt;connector&gt;</c>.</summary>
    public static string NameOf(string connectorName) => NamePrefix + connectorName;

    /// <summary>Why <c>c-&lt;connector&gt;</c> cannot be a Service name (an RFC 1035 label), or null when it can.</summary>
    public static string? NameProblem(string connectorName)
    {
        var name = NameOf(connectorName);
        if (name.Length > 63)
        {
            return $"Service name \"{name}\" is longer than 63 characters: shorten the connector name";
        }

        var valid = name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && !name.EndsWith('-');
        return valid ? null : $"Service name \"{name}\" is not a DNS label (lower-case letters, digits and '-')";
    }

    /// <summary>The Service <paramref name="connector"/> should have, pointing at <paramref name="proxyHost"/>.</summary>
    public static Service Desired(Connector connector, string proxyHost) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = NameOf(connector.Metadata.Name!),
            Namespace = connector.Metadata.Namespace,
            Labels = new()
            {
                [ManagedByLabel] = ManagedBy,
                [WellKnown.ConnectorClassLabel] = connector.Spec.ConnectorClassName ?? string.Empty,
            },
            OwnerReferences =
            [
                new OwnerReference
                {
                    ApiVersion = ApiGroups.ConnectorsApiVersion,
                    Kind = "Connector",
                    Name = connector.Metadata.Name,
                    Uid = connector.Metadata.Uid,
                    Controller = true,
                    BlockOwnerDeletion = true,
                },
            ],
        },
        Spec = new ServiceSpec
        {
            Type = "ExternalName",
            ExternalName = proxyHost,
            Ports = [new ServicePort { Name = "http", Protocol = "TCP", Port = 80, TargetPort = JsonValue.Create(80) }],
        },
    };

    /// <summary>Whether <paramref name="actual"/> differs from <paramref name="desired"/> in anything the controller owns.</summary>
    public static bool NeedsUpdate(Service actual, Service desired)
    {
        var port = actual.Spec?.Ports is [var only] ? only : null;
        var owner = actual.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        return actual.Spec?.Type != desired.Spec!.Type
            || actual.Spec?.ExternalName != desired.Spec.ExternalName
            || port is null || port.Port != 80
            || owner?.Uid != desired.Metadata.OwnerReferences![0].Uid
            || desired.Metadata.Labels!.Any(l => actual.Metadata.Labels?.GetValueOrDefault(l.Key) != l.Value);
    }

    /// <summary><paramref name="desired"/> carrying over what the API server owns in <paramref name="actual"/>.</summary>
    public static Service Merge(Service actual, Service desired)
    {
        desired.Metadata.ResourceVersion = actual.Metadata.ResourceVersion;
        desired.Metadata.Uid = actual.Metadata.Uid;
        desired.Metadata.Annotations = actual.Metadata.Annotations;
        foreach (var label in actual.Metadata.Labels ?? [])
        {
            desired.Metadata.Labels!.TryAdd(label.Key, label.Value);
        }

        return desired;
    }

    /// <summary>
    /// The connector's proxy URL: <c>http://c-&lt;name&gt;.&lt;ns&gt;.svc.cluster.local</c> (resolver <c>host</c>, the
    /// default) or <c>&lt;class proxy URL&gt;/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;</c> (resolver <c>path</c>).
    /// </summary>
    public static string ProxyUrl(Connector connector, ConnectorClass connectorClass, string classProxyUrl)
    {
        var (ns, name) = (connector.Metadata.Namespace!, connector.Metadata.Name!);
        var resolver = connectorClass.Metadata.Annotations?.GetValueOrDefault(WellKnown.ProxyResolverAnnotation);
        return string.Equals(resolver, "path", StringComparison.OrdinalIgnoreCase)
            ? $"{classProxyUrl.TrimEnd('/')}/namespaces/{ns}/connectors/{name}"
            : "http://" + ServiceAddress.Fqdn(NameOf(name), ns);
    }
}
