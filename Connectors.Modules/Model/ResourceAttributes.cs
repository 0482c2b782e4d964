namespace Connectors.Modules.Model;

/// <summary><c>ResourceAttributes</c> of an access review.</summary>
public sealed class ResourceAttributes
{
    public string? Namespace { get; set; }

    public string? Verb { get; set; }

    public string? Group { get; set; }

    public string? Version { get; set; }

    public string? Resource { get; set; }

    public string? Subresource { get; set; }

    public string? Name { get; set; }
}
