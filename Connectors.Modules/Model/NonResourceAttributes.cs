namespace Connectors.Modules.Model;

/// <summary><c>NonResourceAttributes</c> of an access review.</summary>
public sealed class NonResourceAttributes
{
    public string? Path { get; set; }

    public string? Verb { get; set; }
}
