using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>One row of the embedded API's resource table: where a kind lives and which semantics it gets.</summary>
internal sealed record ResourceType(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    /// <summary>Has a <c>/status</c> subresource: the main endpoint keeps the stored status, <c>/status</c> keeps everything else.</summary>
    public bool HasStatus { get; init; }

    /// <summary>Has a spec: <c>metadata.generation</c> starts at 1 and is bumped when anything outside metadata and status changes.</summary>
    public bool HasSpec { get; init; }

    /// <summary>A custom resource (served like a CRD): an update must carry <c>metadata.resourceVersion</c>.</summary>
    public bool Custom { get; init; }

    /// <summary>Create-only review kinds (TokenReview, SubjectAccessReview): computed, never stored.</summary>
    public bool Virtual { get; init; }

    public string Singular { get; init; } = Kind.ToLowerInvariant();

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Extra subresources besides <c>status</c> (for discovery): name and verbs.</summary>
    public IReadOnlyList<(string Name, string Kind, string[] Verbs)> Subresources { get; init; } = [];

    /// <summary>Columns after Name in Table answers (kubectl get); Age is added last unless already present.</summary>
    public IReadOnlyList<PrinterColumn> Columns { get; init; } = [];

    /// <summary>Field selector labels beyond <c>metadata.name</c> and <c>metadata.namespace</c> (dotted JSON paths).</summary>
    public IReadOnlyList<string> SelectableFields { get; init; } = [];

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    public string GroupVersion => ApiVersion;

    /// <summary>Resource name as RBAC and error messages write it: <c>secrets</c>, <c>connectors.connectors.alauda.io</c>.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : Plural + "." + Group;

    public string ListKind => Kind + "List";

    public string[] Verbs => Virtual
        ? ["create"]
        : ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>The collection URL path for <paramref name="ns"/> (null: all namespaces or cluster-scoped).</summary>
    public string CollectionPath(string? ns) =>
        (Group.Length == 0 ? "/api/v1" : $"/apis/{Group}/{Version}") + (Namespaced && ns is not null ? $"/namespaces/{ns}" : "") + "/" + Plural;

    /// <summary>A new empty object of this kind with apiVersion and kind set.</summary>
    public JsonObject NewObject() => new() { ["apiVersion"] = ApiVersion, ["kind"] = Kind };
}
