using Microsoft.AspNetCore.Http;

namespace Connectors.Modules.Embedded;

/// <summary>
/// A resource request decoded from its URL: <c>/api/v1/…</c> or <c>/apis/&lt;g&gt;/&lt;v&gt;/…</c>, optionally
/// <c>watch/</c>, <c>namespaces/&lt;ns&gt;/</c>, then plural, name and subresource; and its RBAC verb.
/// </summary>
internal sealed record ApiRequest(ResourceType Type, string? Namespace, string? Name, string? Subresource, string Verb, bool Watch)
{
    /// <summary>The request, or null when <paramref name="segments"/> is not a resource path (discovery).</summary>
    /// <exception cref="ApiError">404 for an unknown resource, 405 for a method the path does not take.</exception>
    public static ApiRequest? Parse(string method, string[] segments, IQueryCollection query)
    {
        int rest;
        string group, version;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }

        var parts = segments[rest..];
        var watchPath = parts[0] == "watch";
        if (watchPath)
        {
            parts = parts[1..];
        }

        string? ns = null;
        if (parts.Length >= 3 && parts[0] == "namespaces" && ResourceRegistry.Find(group, version, parts[2]) is { Namespaced: true })
        {
            ns = parts[1];
            parts = parts[2..];
        }

        if (parts.Length is 0 or > 3 || ResourceRegistry.Find(group, version, parts[0]) is not { } type)
        {
            throw ApiError.NotFoundPath("/" + string.Join('/', segments));
        }

        var name = parts.Length > 1 ? parts[1] : null;
        var subresource = parts.Length > 2 ? parts[2] : null;
        if (subresource is not null && !(subresource == "status" && type.HasStatus) && !type.Subresources.Any(s => s.Name == subresource))
        {
            throw ApiError.NotFoundPath("/" + string.Join('/', segments));
        }

        if (type.Namespaced && ns is null && (name is not null || method is not "GET"))
        {
            // Namespaced objects are addressed inside their namespace; only list and watch span all of them.
            throw name is null ? ApiError.MethodNotAllowed(method) : ApiError.NotFoundPath("/" + string.Join('/', segments));
        }

        var watch = watchPath || query["watch"] is var w && (w == "true" || w == "1");
        var verb = (method, name, watch) switch
        {
            ("GET", null, true) => "watch",
            ("GET", null, false) => "list",
            ("GET", _, true) => "watch",
            ("GET", _, false) => "get",
            ("POST", null, _) => "create",
            ("POST", _, _) when subresource is not null && subresource != "status" => "create",
            ("PUT", not null, _) => "update",
            ("PATCH", not null, _) => "patch",
            ("DELETE", null, _) => "deletecollection",
            ("DELETE", not null, _) => "delete",
            _ => throw ApiError.MethodNotAllowed(method),
        };
        if (type.Virtual && verb != "create")
        {
            throw ApiError.MethodNotAllowed(method);
        }

        return new ApiRequest(type, ns, name, subresource, verb, watch);
    }

    /// <summary>The RBAC attributes of this request.</summary>
    public AccessAttributes Attributes => new(Verb, Type.Group, Type.Plural, Subresource ?? "", Namespace ?? "", Verb == "create" && Subresource is null ? "" : Name ?? "");
}
