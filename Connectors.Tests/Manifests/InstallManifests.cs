using System.Text.Json.Nodes;
using Connectors.Modules.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Manifests;

/// <summary>Every object the install (manifests/kustomization.yaml) applies, loaded the way kubectl reads them.</summary>
internal static class InstallManifests
{
    public static IReadOnlyList<string> Resources()
    {
        var kustomization = KubeYaml.LoadDocuments(TestData.Read("manifests", "kustomization.yaml")).Single();
        return [.. kustomization["resources"]!.AsArray().Select(r => r!.GetValue<string>())];
    }

    public static IReadOnlyList<JsonObject> Objects() =>
        [.. Resources().SelectMany(r => KubeYaml.LoadDocuments(TestData.Read(["manifests", .. r.Split('/')]))).Select(d => d.AsObject())];

    public static IEnumerable<JsonObject> OfKind(string kind) => Objects().Where(o => o["kind"]!.GetValue<string>() == kind);

    public static JsonObject Named(string kind, string name) =>
        OfKind(kind).Single(o => o["metadata"]!["name"]!.GetValue<string>() == name);

    public static string Name(JsonNode o) => o["metadata"]!["name"]!.GetValue<string>();

    public static string? Namespace(JsonNode o) => o["metadata"]!["namespace"]?.GetValue<string>();

    public static Dictionary<string, string> Map(JsonNode? node) =>
        node?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) ?? [];
}
