using Connectors.Modules.Registry;

namespace Connectors.Modules.Proxy;

/// <summary>A registry-mode request's account, the scopes it needs, and the forward state (kept for one more try).</summary>
internal sealed record RegistryPlan(RegistryCredential? Credential, IReadOnlyList<string> Scopes, RegistryForward Forward);
