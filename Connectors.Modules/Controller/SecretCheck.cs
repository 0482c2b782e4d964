using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>Whether a Secret fits the auth type a Connector chose: its type, and the data keys that type needs.</summary>
internal static class SecretCheck
{
    /// <summary>The data keys <paramref name="authType"/> needs: those of its Secret type plus its params without default.</summary>
    public static IEnumerable<string> RequiredKeys(AuthType authType) =>
        SecretTypes.RequiredKeys(authType.SecretType)
            .Concat((authType.Params ?? []).Where(p => p.Default is null && !string.IsNullOrEmpty(p.Name)).Select(p => p.Name!))
            .Distinct(StringComparer.Ordinal);

    /// <summary>A sentence naming what is wrong with <paramref name="secret"/>, or null when it fits.</summary>
    public static string? Problem(Secret secret, AuthType authType)
    {
        var name = secret.Metadata.Name;
        if (!string.IsNullOrEmpty(authType.SecretType) && !SecretTypes.SameType(secret.Type, authType.SecretType))
        {
            return $"secret \"{name}\" has type \"{secret.Type ?? SecretTypes.Opaque}\", auth type \"{authType.Name}\" wants \"{authType.SecretType}\"";
        }

        var missing = RequiredKeys(authType).Where(key => !HasKey(secret, key)).ToList();
        return missing.Count switch
        {
            0 => null,
            1 => $"secret \"{name}\" has no key \"{missing[0]}\", required by auth type \"{authType.Name}\"",
            _ => $"secret \"{name}\" has no keys {string.Join(", ", missing.Select(k => $"\"{k}\""))}, required by auth type \"{authType.Name}\"",
        };
    }

    private static bool HasKey(Secret secret, string key) =>
        (secret.Data?.ContainsKey(key) ?? false) || (secret.StringData?.ContainsKey(key) ?? false);
}
