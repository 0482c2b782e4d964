namespace Connectors.Modules.Registry;

/// <summary>
/// What a cached token is for: the registry (its origin), the account (<see cref="RegistryCredential.Fingerprint"/>,
/// "-" for anonymous) and the scopes, sorted and space-joined so that the same set is one key.
/// </summary>
internal readonly record struct TokenKey(string Registry, string Credential, string Scopes)
{
    public static TokenKey For(Uri registry, RegistryCredential? credential, IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(scopes);
        var sorted = scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new TokenKey(registry.GetLeftPart(UriPartial.Authority), credential?.Fingerprint ?? "-", string.Join(' ', sorted));
    }
}
