using System.Text;
using Connectors.Modules.Model;

namespace Connectors.Modules.Kube;

/// <summary>Where a kind lives in the API: group, version, plural resource name and scope.</summary>
/// <param name="Group">API group; empty for the core group.</param>
/// <param name="Version">API version within the group.</param>
/// <param name="Plural">Resource name in URLs (<c>connectors</c>).</param>
/// <param name="Kind">Kind name (<c>Connector</c>).</param>
/// <param name="Namespaced">True for namespaced kinds.</param>
public sealed record KubeResource(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    private static readonly Dictionary<Type, KubeResource> Known = new()
    {
        [typeof(Connector)] = new(ApiGroups.Connectors, ApiGroups.Version, "connectors", "Connector", true),
        [typeof(ConnectorClass)] = new(ApiGroups.Connectors, ApiGroups.Version, "connectorclasses", "ConnectorClass", false),
        [typeof(Secret)] = new(string.Empty, "v1", "secrets", "Secret", true),
        [typeof(ConfigMap)] = new(string.Empty, "v1", "configmaps", "ConfigMap", true),
        [typeof(Namespace)] = new(string.Empty, "v1", "namespaces", "Namespace", false),
        [typeof(ServiceAccount)] = new(string.Empty, "v1", "serviceaccounts", "ServiceAccount", true),
        [typeof(Service)] = new(string.Empty, "v1", "services", "Service", true),
        [typeof(Event)] = new(string.Empty, "v1", "events", "Event", true),
        [typeof(Pod)] = new(string.Empty, "v1", "pods", "Pod", true),
        [typeof(Lease)] = new("coordination.k8s.io", "v1", "leases", "Lease", true),
        [typeof(Role)] = new("rbac.authorization.k8s.io", "v1", "roles", "Role", true),
        [typeof(RoleBinding)] = new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true),
        [typeof(ClusterRole)] = new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false),
        [typeof(ClusterRoleBinding)] = new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false),
        [typeof(TokenReview)] = new("authentication.k8s.io", "v1", "tokenreviews", "TokenReview", false),
        [typeof(SubjectAccessReview)] = new("authorization.k8s.io", "v1", "subjectaccessreviews", "SubjectAccessReview", false),
    };

    /// <summary><c>group/version</c>, or just the version for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>The resource of <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not a kind the client knows.</exception>
    public static KubeResource Of<T>() => Of(typeof(T));

    /// <summary>The resource of <paramref name="type"/>.</summary>
    /// <exception cref="InvalidOperationException">The type is not a kind the client knows.</exception>
    public static KubeResource Of(Type type) =>
        Known.TryGetValue(type, out var resource) ? resource : throw new InvalidOperationException($"{type.Name} is not a Kubernetes kind the client knows");

    /// <summary>The URL path of the collection (no name) or of one object, with an optional subresource.</summary>
    /// <exception cref="ArgumentException">A namespaced kind without a namespace on a named object.</exception>
    public string PathFor(string? ns, string? name = null, string? subresource = null)
    {
        var path = new StringBuilder(Group.Length == 0 ? "/api/" : "/apis/" + Group + "/").Append(Version);
        if (Namespaced && !string.IsNullOrEmpty(ns))
        {
            path.Append("/namespaces/").Append(Uri.EscapeDataString(ns));
        }
        else if (Namespaced && name is not null)
        {
            throw new ArgumentException($"{Kind} {name} is namespaced: a namespace is required", nameof(ns));
        }

        path.Append('/').Append(Plural);
        if (name is not null)
        {
            path.Append('/').Append(Uri.EscapeDataString(name));
        }

        if (subresource is not null)
        {
            path.Append('/').Append(subresource);
        }

        return path.ToString();
    }
}
