using System.Text.Json.Nodes;

namespace Connectors.Modules.Csi;

/// <summary>A validated NodePublishVolume request.</summary>
/// <param name="VolumeId">kubelet's volume id (<c>csi-&lt;hash&gt;</c> for inline volumes).</param>
/// <param name="TargetPath">The absolute target directory, without a trailing slash.</param>
/// <param name="Connectors">The Connectors to mount, in volume order.</param>
/// <param name="Configurations">Class configuration names in the order listed, without duplicates.</param>
/// <param name="Exclusions">File names (<c>!name</c> entries) removed after everything is merged.</param>
/// <param name="Params"><c>configuration.params</c>: configuration name to a JSON object of values.</param>
/// <param name="TokenExpiration">Lifetime of a requested token (<c>token.expiration</c>).</param>
/// <param name="Pod">The pod and its ServiceAccount.</param>
/// <param name="KubeletTokens">kubelet's <c>serviceAccount.tokens</c> JSON, when the CSIDriver asks for tokens.</param>
internal sealed record VolumeRequest(
    string VolumeId,
    string TargetPath,
    IReadOnlyList<ConnectorRef> Connectors,
    IReadOnlyList<string> Configurations,
    IReadOnlySet<string> Exclusions,
    JsonObject Params,
    TimeSpan TokenExpiration,
    PodIdentity Pod,
    string? KubeletTokens);
