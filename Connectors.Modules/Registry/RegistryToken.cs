namespace Connectors.Modules.Registry;

/// <summary>A bearer token from a registry's token service and the moment it stops being used (already less a margin).</summary>
internal readonly record struct RegistryToken(string Value, DateTimeOffset ExpiresAt)
{
    /// <summary>The <c>Authorization</c> value carrying the token.</summary>
    public string Authorization => "Bearer " + Value;

    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"token until {ExpiresAt:O}";
}
