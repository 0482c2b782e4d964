namespace Connectors.Modules.Registry;

/// <summary>Settings of the registry token flow (section <c>Registry</c>).</summary>
public sealed class RegistryOptions
{
    public const string SectionName = "Registry";

    /// <summary>Most tokens kept at once, per (registry, credential, scope). Defaults to 4096.</summary>
    public int TokenCacheSize { get; set; } = 4096;

    /// <summary>Upper bound for one token request to a registry's token service. Defaults to 30 seconds.</summary>
    public TimeSpan TokenTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A token is used until this long before it expires, so it does not expire in flight. Defaults to 10 seconds.</summary>
    public TimeSpan ExpiryMargin { get; set; } = TimeSpan.FromSeconds(10);
}
