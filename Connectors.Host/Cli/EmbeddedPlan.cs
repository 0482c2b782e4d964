namespace Connectors.Host.Cli;

/// <summary>
/// What <c>--embedded</c> will start: the API's listen address, the user's kubeconfig (written once every role has
/// started), the roles' own kubeconfig, and the manifests to apply.
/// </summary>
internal sealed record EmbeddedPlan(string Listen, string Kubeconfig, string RolesKubeconfig, IReadOnlyList<string> Applies);
