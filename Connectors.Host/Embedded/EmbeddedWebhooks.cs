using System.Globalization;
using System.Text.Json.Nodes;
using Connectors.Modules.Model;

namespace Connectors.Host.Embedded;

/// <summary>
/// What the embedded mode registers for the controller's admission webhooks: the install's own
/// <c>manifests/controller/webhook.yaml</c> (built into the executable), moved to the components namespace,
/// with its Service given <c>clusterIP: 127.0.0.1</c> and the webhook listener's port as Service port. The
/// embedded API maps such a Service to that loopback address (docs/decisions.md, "Admission webhooks in the
/// embedded API"), so kube-apiserver's path is exercised end to end: TLS verified against the caBundle the
/// controller writes, for <c>&lt;service&gt;.&lt;namespace&gt;.svc</c>.
/// </summary>
internal static class EmbeddedWebhooks
{
    /// <summary>The objects to apply, Service first.</summary>
    public static IReadOnlyList<JsonObject> Objects(string componentsNamespace, int port)
    {
        using var stream = typeof(EmbeddedWebhooks).Assembly.GetManifestResourceStream("webhook.yaml")
            ?? throw new InvalidOperationException("the executable lacks its webhook.yaml resource");
        using var reader = new StreamReader(stream);
        var objects = KubeYaml.LoadDocuments(reader.ReadToEnd()).Select(d => d.AsObject()).ToList();
        foreach (var obj in objects)
        {
            if ((string?)obj["kind"] == "Service")
            {
                obj["metadata"]!["namespace"] = componentsNamespace;
                obj["spec"]!["clusterIP"] = "127.0.0.1";
                obj["spec"]!["ports"] = new JsonArray(new JsonObject { ["name"] = "webhook", ["port"] = port, ["targetPort"] = port, ["protocol"] = "TCP" });
                continue;
            }

            foreach (var webhook in (obj["webhooks"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (webhook["clientConfig"]?["service"] is JsonObject service)
                {
                    service["namespace"] = componentsNamespace;
                    service["port"] = port;
                }

                // The components namespace here may not be connectors-system: exclude the one in use.
                foreach (var expression in (webhook["namespaceSelector"]?["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (expression["values"] is JsonArray values && values.Any(v => (string?)v == WellKnown.DefaultComponentsNamespace))
                    {
                        values.Add((JsonNode)componentsNamespace);
                    }
                }
            }
        }

        return objects;
    }

    /// <summary>The port of a <c>host:port</c> listen address.</summary>
    public static int PortOf(string listen) => int.Parse(listen[(listen.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
}
