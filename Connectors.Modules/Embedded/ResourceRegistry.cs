using System.Text.Json.Nodes;
using Connectors.Modules.Model;

namespace Connectors.Modules.Embedded;

/// <summary>The kinds the embedded API serves: one table row each, looked up by group, version and plural.</summary>
internal static class ResourceRegistry
{
    public const string Rbac = "rbac.authorization.k8s.io";
    public const string Authentication = "authentication.k8s.io";
    public const string Authorization = "authorization.k8s.io";
    public const string AdmissionRegistration = "admissionregistration.k8s.io";

    private static readonly PrinterColumn Age = new("Age", "date", ".metadata.creationTimestamp");

    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", "Namespace", false)
    {
        HasStatus = true,
        ShortNames = ["ns"],
        SelectableFields = ["status.phase"],
        Columns = [new("Status", "string", ".status.phase"), Age],
    };

    public static readonly ResourceType Secrets = new("", "v1", "secrets", "Secret", true)
    {
        SelectableFields = ["type"],
        Columns = [new("Type", "string", ".type"), new("Data", "integer", null, o => CountKeys(o, "data")), Age],
    };

    public static readonly ResourceType ServiceAccounts = new("", "v1", "serviceaccounts", "ServiceAccount", true)
    {
        ShortNames = ["sa"],
        Subresources = [("token", "TokenRequest", ["create"])],
        Columns = [new("Secrets", "integer", null, o => (o["secrets"] as JsonArray)?.Count ?? 0), Age],
    };

    public static readonly ResourceType Services = new("", "v1", "services", "Service", true)
    {
        HasStatus = true,
        ShortNames = ["svc"],
        Categories = ["all"],
        SelectableFields = ["spec.clusterIP", "spec.type"],
        Columns =
        [
            new("Type", "string", ".spec.type"), new("Cluster-IP", "string", ".spec.clusterIP"),
            new("External-IP", "string", null, _ => "<none>"), new("Port(s)", "string", null, o => ServicePorts(o)), Age,
        ],
    };

    public static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true)
    {
        ShortNames = ["cm"],
        Columns = [new("Data", "integer", null, o => CountKeys(o, "data") + CountKeys(o, "binaryData")), Age],
    };

    public static readonly ResourceType Events = new("", "v1", "events", "Event", true)
    {
        ShortNames = ["ev"],
        SelectableFields =
        [
            "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
            "reason", "reportingComponent", "source", "type",
        ],
        Columns = [new("Type", "string", ".type"), new("Reason", "string", ".reason"), new("Object", "string", null, o => InvolvedObject(o)), new("Message", "string", ".message")],
    };

    public static readonly ResourceType Pods = new("", "v1", "pods", "Pod", true)
    {
        HasStatus = true,
        ShortNames = ["po"],
        Categories = ["all"],
        SelectableFields = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP"],
        Columns = [new("Status", "string", ".status.phase"), Age],
    };

    public static readonly ResourceType Leases = new("coordination.k8s.io", "v1", "leases", "Lease", true)
    {
        Columns = [new("Holder", "string", ".spec.holderIdentity"), Age],
    };

    public static readonly ResourceType Roles = new(Rbac, "v1", "roles", "Role", true) { Columns = [new("Created At", "string", ".metadata.creationTimestamp")] };

    public static readonly ResourceType RoleBindings = new(Rbac, "v1", "rolebindings", "RoleBinding", true)
    {
        Columns = [new("Role", "string", null, o => $"{o["roleRef"]?["kind"]}/{o["roleRef"]?["name"]}"), Age],
    };

    public static readonly ResourceType ClusterRoles = new(Rbac, "v1", "clusterroles", "ClusterRole", false) { Columns = [new("Created At", "string", ".metadata.creationTimestamp")] };

    public static readonly ResourceType ClusterRoleBindings = new(Rbac, "v1", "clusterrolebindings", "ClusterRoleBinding", false)
    {
        Columns = [new("Role", "string", null, o => $"{o["roleRef"]?["kind"]}/{o["roleRef"]?["name"]}"), Age],
    };

    public static readonly ResourceType Connectors = new(ApiGroups.Connectors, ApiGroups.Version, "connectors", "Connector", true)
    {
        HasStatus = true,
        HasSpec = true,
        Custom = true,
        Categories = ["alauda"],
        Columns =
        [
            new("Class", "string", ".spec.connectorClassName"), new("Address", "string", ".spec.address"),
            new("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
            new("Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason"), Age,
        ],
    };

    public static readonly ResourceType ConnectorClasses = new(ApiGroups.Connectors, ApiGroups.Version, "connectorclasses", "ConnectorClass", false)
    {
        HasStatus = true,
        HasSpec = true,
        Custom = true,
        Categories = ["alauda"],
        Columns =
        [
            new("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
            new("Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason"), Age,
        ],
    };

    /// <summary>Stored and served only (original §8.6: the UI and Tekton read it; no controller behaviour).</summary>
    public static readonly ResourceType ResourceInterfaces = new(ApiGroups.Connectors, ApiGroups.Version, "resourceinterfaces", "ResourceInterface", false)
    {
        HasSpec = true,
        Custom = true,
        Categories = ["alauda"],
    };

    public static readonly ResourceType TokenReviews = new(Authentication, "v1", "tokenreviews", "TokenReview", false) { Virtual = true };

    public static readonly ResourceType SelfSubjectReviews = new(Authentication, "v1", "selfsubjectreviews", "SelfSubjectReview", false) { Virtual = true };

    public static readonly ResourceType SubjectAccessReviews = new(Authorization, "v1", "subjectaccessreviews", "SubjectAccessReview", false) { Virtual = true };

    public static readonly ResourceType SelfSubjectAccessReviews = new(Authorization, "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false) { Virtual = true };

    public static readonly ResourceType LocalSubjectAccessReviews = new(Authorization, "v1", "localsubjectaccessreviews", "LocalSubjectAccessReview", true) { Virtual = true };

    public static readonly ResourceType ValidatingWebhookConfigurations = new(AdmissionRegistration, "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false)
    {
        Columns = [new("Webhooks", "integer", null, o => (o["webhooks"] as JsonArray)?.Count ?? 0), Age],
    };

    public static readonly ResourceType MutatingWebhookConfigurations = new(AdmissionRegistration, "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false)
    {
        Columns = [new("Webhooks", "integer", null, o => (o["webhooks"] as JsonArray)?.Count ?? 0), Age],
    };

    /// <summary>Every served kind, in discovery order.</summary>
    public static readonly IReadOnlyList<ResourceType> All =
    [
        Namespaces, Secrets, ServiceAccounts, Services, ConfigMaps, Events, Pods,
        Leases, Roles, RoleBindings, ClusterRoles, ClusterRoleBindings, Connectors, ConnectorClasses, ResourceInterfaces,
        TokenReviews, SelfSubjectReviews, SubjectAccessReviews, SelfSubjectAccessReviews, LocalSubjectAccessReviews,
        ValidatingWebhookConfigurations, MutatingWebhookConfigurations,
        // Generic storage for what install manifests contain (so `kubectl apply --dry-run=server` of an install works).
        new("apps", "v1", "deployments", "Deployment", true) { HasStatus = true, HasSpec = true, ShortNames = ["deploy"], Categories = ["all"] },
        new("apps", "v1", "daemonsets", "DaemonSet", true) { HasStatus = true, HasSpec = true, ShortNames = ["ds"], Categories = ["all"] },
        new("batch", "v1", "jobs", "Job", true) { HasStatus = true, HasSpec = true, Categories = ["all"] },
        new("storage.k8s.io", "v1", "csidrivers", "CSIDriver", false),
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false) { HasStatus = true, HasSpec = true, ShortNames = ["crd", "crds"] },

        // The Prometheus Operator's kinds that manifests/monitoring ships, served as a cluster with the operator does
        // (the embedded API has no dynamic CRDs), so `kubectl apply -k manifests/monitoring` works against it too.
        new("monitoring.coreos.com", "v1", "servicemonitors", "ServiceMonitor", true) { HasSpec = true, ShortNames = ["smon"] },
        new("monitoring.coreos.com", "v1", "prometheusrules", "PrometheusRule", true) { HasSpec = true, ShortNames = ["promrule"] },
    ];

    private static readonly Dictionary<(string Group, string Version, string Plural), ResourceType> ByPath =
        All.ToDictionary(t => (t.Group, t.Version, t.Plural));

    private static readonly Dictionary<(string Group, string Kind), ResourceType> ByKind =
        All.ToDictionary(t => (t.Group, t.Kind));

    /// <summary>The API groups other than core, in discovery order.</summary>
    public static IReadOnlyList<string> Groups { get; } = [.. All.Where(t => t.Group.Length > 0).Select(t => t.Group).Distinct()];

    public static ResourceType? Find(string group, string version, string plural) => ByPath.GetValueOrDefault((group, version, plural));

    public static ResourceType? FindKind(string group, string kind) => ByKind.GetValueOrDefault((group, kind));

    private static int CountKeys(JsonObject o, string field) => (o[field] as JsonObject)?.Count ?? 0;

    private static string InvolvedObject(JsonObject o) =>
        $"{o["involvedObject"]?["kind"]?.GetValue<string>().ToLowerInvariant()}/{o["involvedObject"]?["name"]}";

    private static string ServicePorts(JsonObject o)
    {
        if (o["spec"]?["ports"] is not JsonArray { Count: > 0 } ports)
        {
            return "<none>";
        }

        return string.Join(",", ports.Select(p => $"{p?["port"]}/{p?["protocol"] ?? "TCP"}"));
    }
}
