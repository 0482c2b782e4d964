using System.Text.Json.Nodes;
using Connectors.Modules.Model;

namespace Connectors.Modules.Csi;

/// <summary>
/// The data configuration templates see (original §5.6): <c>.connector</c>, <c>.connectors</c>,
/// <c>.connectorclass.proxyAddress</c>, <c>.context.token</c>, <c>.context.proxy.caCert</c> and
/// <c>.configurations</c> (the params of the configuration being rendered).
/// </summary>
internal static class TemplateData
{
    public static JsonObject Build(MountedConnector primary, IReadOnlyList<MountedConnector> all, string token, string caPem, JsonObject parameters)
    {
        var connectorClass = ModelJson.ToNode(all[^1].Class);
        connectorClass["proxyAddress"] = all[^1].Class.Status?.Proxy?.HttpAddress?.Url ?? all[^1].ProxyAddress;
        return new JsonObject
        {
            ["connector"] = View(primary),
            ["connectors"] = new JsonArray([.. all.Select(c => (JsonNode)View(c))]),
            ["connectorclass"] = connectorClass,
            ["context"] = new JsonObject
            {
                ["token"] = token,
                ["proxy"] = new JsonObject { ["caCert"] = caPem },
            },
            ["configurations"] = parameters.DeepClone(),
        };
    }

    /// <summary>The Connector as JSON with <c>status.proxyAddress</c>, plus <c>name</c>/<c>namespace</c> at item level (one documented example uses <c>.name</c>).</summary>
    private static JsonObject View(MountedConnector mounted)
    {
        var node = ModelJson.ToNode(mounted.Connector);
        if (node["status"] is not JsonObject status)
        {
            status = [];
            node["status"] = status;
        }

        status["proxyAddress"] = mounted.ProxyAddress;
        node["name"] = mounted.Ref.Name;
        node["namespace"] = mounted.Ref.Namespace;
        return node;
    }
}
