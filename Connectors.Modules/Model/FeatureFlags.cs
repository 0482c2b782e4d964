namespace Connectors.Modules.Model;

/// <summary>The feature flags of ConfigMap <c>connectors-config</c> in the components namespace.</summary>
public static class FeatureFlags
{
    /// <summary>The proxy also requires the <c>connectors/proxy</c> subresource permission.</summary>
    public const string ProxyPermissions = "enable-connector-proxy-permissions";

    /// <summary>The <c>CACertReady</c> condition and the cluster-wide CA pool.</summary>
    public const string CustomCaCerts = "enable-custom-ca-certs";

    /// <summary>Whether <paramref name="flag"/> is <c>"true"</c> (any case, spaces around ignored) in <paramref name="config"/>.</summary>
    public static bool IsEnabled(ConfigMap? config, string flag) =>
        config?.Data is { } data
        && data.TryGetValue(flag, out var value)
        && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
