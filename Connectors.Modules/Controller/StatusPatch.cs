using System.Text.Json.Nodes;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>Writes a status subresource with a JSON merge patch; fields that became empty are sent as null (removed).</summary>
internal static class StatusPatch
{
    /// <summary>The merge patch <c>{"status": ...}</c> with <paramref name="clearedFields"/> set to null.</summary>
    public static JsonObject Build(JsonObject status, IEnumerable<string> clearedFields)
    {
        foreach (var field in clearedFields)
        {
            status.TryAdd(field, null);
        }

        return new JsonObject { ["status"] = status };
    }

    /// <summary>Applies the patch; a vanished object is fine (its delete is being handled), anything else is retried.</summary>
    /// <exception cref="KubeException">The patch failed for another reason.</exception>
    public static async Task ApplyAsync<T>(KubeClient client, T obj, JsonObject patch, CancellationToken cancellationToken)
        where T : class, IKubeObject
    {
        var result = await client.PatchAsync<T>(obj.Metadata.Namespace, obj.Metadata.Name!, patch, true, cancellationToken);
        if (!result.IsOk && result.Outcome != KubeOutcome.NotFound)
        {
            throw new KubeException(result.Outcome, $"patch status of {obj.Kind} {obj.Metadata.Name}: {result.Message}");
        }
    }
}
