using System.Reflection;
using Connectors.Modules.Csi.V1;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Csi;

/// <summary>CSI Identity: the driver's name and version, no controller capabilities, ready once the caches synced.</summary>
internal sealed class IdentityService(ICsiKube kube, IOptions<CsiOptions> options)
{
    public string Version { get; } = options.Value.Version is { Length: > 0 } v ? v
        : typeof(IdentityService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public Task<GetPluginInfoResponse> GetPluginInfoAsync(GetPluginInfoRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new GetPluginInfoResponse { Name = Model.WellKnown.CsiDriverName, VendorVersion = Version });

    /// <summary>A node-only driver: no CONTROLLER_SERVICE, no topology constraints.</summary>
    public static Task<GetPluginCapabilitiesResponse> GetPluginCapabilitiesAsync(GetPluginCapabilitiesRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new GetPluginCapabilitiesResponse());

    public Task<ProbeResponse> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new ProbeResponse { Ready = kube.HasSynced });
}
