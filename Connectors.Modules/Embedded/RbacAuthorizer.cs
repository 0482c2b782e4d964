using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// Evaluates the stored Role, RoleBinding, ClusterRole and ClusterRoleBinding objects the way the RBAC
/// authorizer does: ClusterRoleBindings grant everywhere, RoleBindings (to a Role or a ClusterRole) only in
/// their namespace; rules match verbs, apiGroups, resources (<c>*</c>, <c>res/sub</c>, <c>*/sub</c>),
/// resourceNames and nonResourceURLs. <c>system:masters</c> may do anything, and every authenticated user
/// may read discovery and review its own access (the default <c>system:discovery</c> and
/// <c>system:basic-user</c> roles).
/// </summary>
internal sealed class RbacAuthorizer(ObjectStore store)
{
    private static readonly string[] DiscoveryPaths = ["/api", "/api/*", "/apis", "/apis/*", "/version", "/healthz", "/livez", "/readyz", "/openapi", "/openapi/*", "/.well-known/openid-configuration", "/openid/v1/jwks"];

    /// <summary>Whether <paramref name="user"/> may do <paramref name="request"/>, and the binding that allows it.</summary>
    public (bool Allowed, string Reason) Authorize(ApiUser user, AccessAttributes request)
    {
        if (user.Groups.Contains(ApiUser.MastersGroup))
        {
            return (true, "allowed by group \"system:masters\"");
        }

        if (user.Groups.Contains(ApiUser.AuthenticatedGroup) && BuiltIn(request))
        {
            return (true, "RBAC: allowed by ClusterRoleBinding \"system:basic-user\" of ClusterRole \"system:basic-user\" to Group \"system:authenticated\"");
        }

        lock (store.Sync)
        {
            foreach (var binding in store.List(ResourceRegistry.ClusterRoleBindings, null))
            {
                if (Grants(binding.Node, user, bindingNamespace: "", request, out var reason))
                {
                    return (true, reason);
                }
            }

            if (request.IsResource && request.Namespace.Length > 0)
            {
                foreach (var binding in store.List(ResourceRegistry.RoleBindings, request.Namespace))
                {
                    if (Grants(binding.Node, user, request.Namespace, request, out var reason))
                    {
                        return (true, reason);
                    }
                }
            }
        }

        return (false, "");
    }

    private bool Grants(JsonObject binding, ApiUser user, string bindingNamespace, AccessAttributes request, out string reason)
    {
        reason = "";
        var subject = (binding["subjects"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(s => Applies(s, user, bindingNamespace));
        if (subject is null)
        {
            return false;
        }

        var roleKind = (string?)binding["roleRef"]?["kind"];
        var roleName = (string?)binding["roleRef"]?["name"] ?? "";
        var role = roleKind == "Role"
            ? store.Get(ResourceRegistry.Roles, bindingNamespace, roleName)
            : store.Get(ResourceRegistry.ClusterRoles, null, roleName);
        if (role?.Node["rules"] is not JsonArray rules || !rules.OfType<JsonObject>().Any(r => RuleAllows(r, request)))
        {
            return false;
        }

        var bindingKind = bindingNamespace.Length == 0 ? "ClusterRoleBinding" : "RoleBinding";
        var where = bindingNamespace.Length == 0 ? "" : $" in namespace \"{bindingNamespace}\"";
        var who = (string?)subject["kind"] == "ServiceAccount"
            ? $"ServiceAccount \"{subject["name"]}/{(string?)subject["namespace"] ?? bindingNamespace}\""
            : $"{subject["kind"]} \"{subject["name"]}\"";
        reason = $"RBAC: allowed by {bindingKind} \"{binding["metadata"]?["name"]}/{bindingNamespace}\" of {roleKind} \"{roleName}\" to {who}{where}";
        return true;
    }

    private static bool Applies(JsonObject subject, ApiUser user, string bindingNamespace)
    {
        var name = (string?)subject["name"] ?? "";
        return (string?)subject["kind"] switch
        {
            "User" => name == user.Name,
            "Group" => user.Groups.Contains(name),
            "ServiceAccount" => user.Name == $"system:serviceaccount:{((string?)subject["namespace"] is { Length: > 0 } ns ? ns : bindingNamespace)}:{name}",
            _ => false,
        };
    }

    /// <summary>Whether one PolicyRule covers <paramref name="request"/>.</summary>
    public static bool RuleAllows(JsonObject rule, AccessAttributes request)
    {
        if (!Has(rule["verbs"], request.Verb))
        {
            return false;
        }

        if (!request.IsResource)
        {
            return Strings(rule["nonResourceURLs"]).Any(u => u == "*" || u == request.Path || (u.EndsWith('*') && request.Path!.StartsWith(u[..^1], StringComparison.Ordinal)));
        }

        if (!Has(rule["apiGroups"], request.Group))
        {
            return false;
        }

        var combined = request.Subresource.Length > 0 ? request.Resource + "/" + request.Subresource : request.Resource;
        var resources = Strings(rule["resources"]).ToList();
        if (!resources.Any(r => r == "*" || r == combined || (request.Subresource.Length > 0 && r == "*/" + request.Subresource)))
        {
            return false;
        }

        var names = Strings(rule["resourceNames"]).ToList();
        return names.Count == 0 || (request.Name.Length > 0 && names.Contains(request.Name));
    }

    private static bool BuiltIn(AccessAttributes request) => request.IsResource
        ? request.Verb == "create" && ((request.Group == ResourceRegistry.Authorization && request.Resource is "selfsubjectaccessreviews" or "selfsubjectrulesreviews")
            || (request.Group == ResourceRegistry.Authentication && request.Resource == "selfsubjectreviews"))
        : request.Verb == "get" && DiscoveryPaths.Any(p => p == request.Path || (p.EndsWith('*') && request.Path!.StartsWith(p[..^1], StringComparison.Ordinal)));

    private static bool Has(JsonNode? list, string value) => Strings(list).Any(v => v == "*" || v == value);

    private static IEnumerable<string> Strings(JsonNode? list) =>
        list is JsonArray array ? array.Select(v => (string?)v ?? "") : [];
}
