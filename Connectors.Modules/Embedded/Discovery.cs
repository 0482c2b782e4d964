using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// Discovery documents: <c>/version</c>, <c>/api</c>, <c>/apis</c>, <c>/apis/&lt;group&gt;</c> and the
/// group-version resource lists (legacy, unaggregated discovery; clients that ask for the aggregated form get
/// this form, which they accept as a fallback).
/// </summary>
internal static class Discovery
{
    public const string KubernetesVersion = "v1.33.0";

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "33",
        ["gitVersion"] = KubernetesVersion,
        ["gitCommit"] = "connectors-embedded",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-01-01T00:00:00Z",
        ["goVersion"] = "go1.24.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. ResourceRegistry.Groups.Select(g => (JsonNode)GroupBody(g))]),
    };

    public static JsonObject? Group(string name)
    {
        if (!ResourceRegistry.Groups.Contains(name))
        {
            return null;
        }

        var group = GroupBody(name);
        group["kind"] = "APIGroup";
        group["apiVersion"] = "v1";
        return group;
    }

    public static JsonObject? ResourceList(string group, string version)
    {
        var types = ResourceRegistry.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var type in types)
        {
            JsonNode resource = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = Strings(type.Verbs),
            };
            if (type.ShortNames.Count > 0)
            {
                resource["shortNames"] = Strings(type.ShortNames);
            }

            if (type.Categories.Count > 0)
            {
                resource["categories"] = Strings(type.Categories);
            }

            resources.Add(resource);
            if (type.HasStatus)
            {
                resources.Add((JsonNode)Subresource(type, "status", null, type.Kind, ["get", "patch", "update"]));
            }

            foreach (var (name, kind, verbs) in type.Subresources)
            {
                resources.Add((JsonNode)Subresource(type, name, ResourceRegistry.Authentication, kind, verbs));
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        };
    }

    private static JsonObject Subresource(ResourceType type, string name, string? group, string kind, string[] verbs)
    {
        var resource = new JsonObject
        {
            ["name"] = type.Plural + "/" + name,
            ["singularName"] = "",
            ["namespaced"] = type.Namespaced,
        };
        if (group is not null)
        {
            resource["group"] = group;
            resource["version"] = "v1";
        }

        resource["kind"] = kind;
        resource["verbs"] = Strings(verbs);
        return resource;
    }

    private static JsonObject GroupBody(string name)
    {
        var versions = ResourceRegistry.All.Where(t => t.Group == name).Select(t => t.Version).Distinct().ToList();
        JsonObject Version(string v) => new() { ["groupVersion"] = name + "/" + v, ["version"] = v };
        return new JsonObject
        {
            ["name"] = name,
            ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)Version(v))]),
            ["preferredVersion"] = Version(versions[0]),
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
