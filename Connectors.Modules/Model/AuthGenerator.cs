namespace Connectors.Modules.Model;

/// <summary>
/// How the proxy injects the credential. <c>rego</c> is the original's form (unsupported here, reported in
/// status); <c>headers</c> is the native equivalent: request headers whose values are Go templates over the
/// Secret (<c>.Secret.StringData.&lt;key&gt;</c>), optionally only for request paths under <c>pathPrefix</c>.
/// </summary>
public sealed class AuthGenerator
{
    public string? Rego { get; set; }

    public List<HttpHeaderSpec>? Headers { get; set; }

    public string? PathPrefix { get; set; }
}
