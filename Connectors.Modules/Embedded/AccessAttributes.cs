namespace Connectors.Modules.Embedded;

/// <summary>What a request does, as RBAC sees it: a resource request, or a non-resource <see cref="Path"/>.</summary>
internal sealed record AccessAttributes(string Verb, string Group = "", string Resource = "", string Subresource = "", string Namespace = "", string Name = "", string? Path = null)
{
    public bool IsResource => Path is null;

    public override string ToString()
    {
        if (!IsResource)
        {
            return $"\"{Verb}\" on the non-resource URL \"{Path}\"";
        }

        var resource = Subresource.Length > 0 ? $"{Resource}/{Subresource}" : Resource;
        var scope = Namespace.Length > 0 ? $" in the namespace \"{Namespace}\"" : " at the cluster scope";
        return $"{Verb} resource \"{resource}\" in API group \"{Group}\"{scope}";
    }
}
