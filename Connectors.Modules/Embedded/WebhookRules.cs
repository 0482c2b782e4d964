using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// Whether a webhook's <c>rules</c> cover a request, as kube-apiserver matches them: every listed operation,
/// API group, version, resource (<c>*</c>, <c>res/sub</c>, <c>*/sub</c>, <c>res/*</c>, <c>*/*</c>) and scope.
/// The embedded API serves one version per group, so <c>matchPolicy</c> Exact and Equivalent agree.
/// </summary>
internal static class WebhookRules
{
    public static bool Matches(JsonObject webhook, AdmissionAttributes request)
    {
        var rules = webhook["rules"] as JsonArray ?? [];
        return rules.OfType<JsonObject>().Any(rule => RuleMatches(rule, request));
    }

    public static bool RuleMatches(JsonObject rule, AdmissionAttributes request)
    {
        var type = request.Type;
        return Listed(rule["operations"], request.Operation)
            && Listed(rule["apiGroups"], type.Group)
            && Listed(rule["apiVersions"], type.Version)
            && ResourceListed(rule["resources"], type.Plural, request.Subresource ?? "")
            && ScopeMatches((string?)rule["scope"], type.Namespaced);
    }

    private static bool Listed(JsonNode? list, string value) =>
        list is JsonArray values && values.Any(v => (string?)v is "*" || (string?)v == value);

    private static bool ResourceListed(JsonNode? list, string resource, string subresource)
    {
        if (list is not JsonArray values)
        {
            return false;
        }

        foreach (var entry in values.Select(v => (string?)v ?? ""))
        {
            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            var (wantResource, wantSub) = slash < 0 ? (entry, "") : (entry[..slash], entry[(slash + 1)..]);
            if (entry == "*/*" || (wantResource == "*" || wantResource == resource) && (wantSub == subresource || wantSub == "*" && subresource.Length > 0))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ScopeMatches(string? scope, bool namespaced) => scope switch
    {
        null or "" or "*" => true,
        "Namespaced" => namespaced,
        "Cluster" => !namespaced,
        _ => false,
    };
}
