namespace Connectors.Modules.Model;

/// <summary>authentication.k8s.io TokenRequest (<c>serviceaccounts/&lt;sa&gt;/token</c>).</summary>
public sealed class TokenRequest : IKubeObject
{
    public string? ApiVersion { get; set; } = "authentication.k8s.io/v1";

    public string? Kind { get; set; } = "TokenRequest";

    public ObjectMeta Metadata { get; set; } = new();

    public TokenRequestSpec Spec { get; set; } = new();

    public TokenRequestStatus? Status { get; set; }
}
