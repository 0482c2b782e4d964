namespace Connectors.Modules.Model;

/// <summary><c>TokenRequestSpec</c>.</summary>
public sealed class TokenRequestSpec
{
    public List<string>? Audiences { get; set; }

    public long? ExpirationSeconds { get; set; }

    public BoundObjectReference? BoundObjectRef { get; set; }
}
