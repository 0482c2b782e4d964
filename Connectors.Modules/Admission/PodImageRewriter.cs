using System.Text.Json.Nodes;

namespace Connectors.Modules.Admission;

/// <summary>
/// Rewrites a Pod's container and init container images to pull through the proxy's registry mode:
/// <c>registry.example.com/team/app:v1</c> becomes
/// <c>&lt;proxy host:port&gt;/namespaces/&lt;ns&gt;/connectors/&lt;name&gt;/team/app:v1</c>. Only images of the
/// Connector's registry (the host and port of <c>spec.address</c>) are rewritten; others are left as they are
/// with a warning (a Pod may mix registries, e.g. a public sidecar), and images already under the proxy are left
/// alone (a reinvoked webhook changes nothing).
/// </summary>
internal static class PodImageRewriter
{
    private static readonly string[] ContainerLists = ["initContainers", "containers"];

    /// <summary>The JSON Patch operations, the rewritten images (<c>from -> to</c>) and the images left with the reason.</summary>
    public static (JsonArray Patch, List<string> Rewritten, List<string> Left) Rewrite(JsonObject pod, Uri registry, string ns, string name, string proxyHost)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var patch = new JsonArray();
        var rewritten = new List<string>();
        var left = new List<string>();
        var prefix = $"{proxyHost}/namespaces/{ns}/connectors/{name}/";
        foreach (var list in ContainerLists)
        {
            var containers = pod["spec"]?[list] as JsonArray ?? [];
            for (var i = 0; i < containers.Count; i++)
            {
                var container = containers[i] as JsonObject;
                var image = (string?)container?["image"];
                var containerName = (string?)container?["name"] ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (image is null || image.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                if (ImageReference.Parse(image) is not { } reference)
                {
                    left.Add($"spec.{list}[{i}] ({containerName}): image \"{image}\" is not a valid image reference");
                }
                else if (!reference.IsServedBy(registry))
                {
                    left.Add($"spec.{list}[{i}] ({containerName}): image \"{image}\" is not from the Connector's registry {registry.Authority}; left unchanged");
                }
                else
                {
                    var target = prefix + reference.Repository + reference.Suffix;
                    patch.Add((JsonNode)new JsonObject { ["op"] = "replace", ["path"] = $"/spec/{list}/{i}/image", ["value"] = target });
                    rewritten.Add($"{image} -> {target}");
                }
            }
        }

        return (patch, rewritten, left);
    }

    /// <summary>The operation that adds <paramref name="secretName"/> to <c>spec.imagePullSecrets</c> (nothing when present).</summary>
    public static JsonObject? AddPullSecret(JsonObject pod, string secretName)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod["spec"]?["imagePullSecrets"] is JsonArray existing)
        {
            return existing.Any(s => (string?)s?["name"] == secretName)
                ? null
                : new JsonObject { ["op"] = "add", ["path"] = "/spec/imagePullSecrets/-", ["value"] = new JsonObject { ["name"] = secretName } };
        }

        return new JsonObject { ["op"] = "add", ["path"] = "/spec/imagePullSecrets", ["value"] = new JsonArray(new JsonObject { ["name"] = secretName }) };
    }
}
