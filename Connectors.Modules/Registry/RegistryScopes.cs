namespace Connectors.Modules.Registry;

/// <summary>
/// The token scopes a request needs (distribution token spec, "Token Scope"; the actions distribution itself checks
/// per method): GET and HEAD pull, POST, PUT and PATCH pull and push, DELETE delete; a cross-repository mount also
/// pulls its source; the catalog is <c>registry:catalog:*</c>; <c>/v2/</c> needs a token for no scope at all.
/// </summary>
internal static class RegistryScopes
{
    public static IReadOnlyList<string> For(string method, RegistryPath path, string? mountFrom)
    {
        ArgumentNullException.ThrowIfNull(method);
        switch (path.Endpoint)
        {
            case RegistryEndpoint.Base:
                return [];
            case RegistryEndpoint.Catalog:
                return ["registry:catalog:*"];
        }

        var actions = method.ToUpperInvariant() switch
        {
            "GET" or "HEAD" => "pull",
            "DELETE" => "delete",
            _ => "pull,push",
        };
        var own = $"repository:{path.Repository}:{actions}";
        return !string.IsNullOrEmpty(mountFrom) && mountFrom != path.Repository ? [own, $"repository:{mountFrom}:pull"] : [own];
    }
}
