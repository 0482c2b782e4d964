namespace Connectors.Modules.Model;

/// <summary>A header <c>{name, value}</c>; the value may be a Go template.</summary>
public sealed class HttpHeaderSpec
{
    public string Name { get; set; } = string.Empty;

    public string Value { get; set; } = string.Empty;
}
