namespace Connectors.Modules.Model;

/// <summary>Kubernetes Secret types Connectors knows, and the keys each must hold.</summary>
public static class SecretTypes
{
    public const string BasicAuth = "kubernetes.io/basic-auth";
    public const string SshAuth = "kubernetes.io/ssh-auth";
    public const string BearerToken = "connectors.cpaas.io/bearer-token";
    public const string GitLabPatAuth = "connectors.cpaas.io/gitlab-pat-auth";
    public const string DistributionRegistryToken = "cpaas.io/distribution-registry-token";
    public const string Opaque = "Opaque";
    public const string LegacyOpaque = "kubernetes.io/opaque";
    public const string Tls = "kubernetes.io/tls";

    /// <summary>The data keys a well-known Secret type must carry; empty for types declared by params.</summary>
    public static IReadOnlyList<string> RequiredKeys(string? secretType) => secretType switch
    {
        BasicAuth or DistributionRegistryToken => ["username", "password"],
        SshAuth => ["ssh-privatekey"],
        BearerToken or GitLabPatAuth => ["token"],
        Tls => ["tls.crt", "tls.key"],
        _ => [],
    };

    /// <summary>Whether two Secret type names mean the same type (<c>Opaque</c> and <c>kubernetes.io/opaque</c>, empty = Opaque).</summary>
    public static bool SameType(string? a, string? b) => string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal);

    private static string Normalize(string? type) => string.IsNullOrEmpty(type) || type == LegacyOpaque ? Opaque : type;
}
