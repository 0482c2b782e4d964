using System.Reflection;
using Connectors.Modules.Csi.V1;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Csi;

/// <summary>CSI Identity: the driver's name and version, no controller capabilities, ready once the caches synced.</summary>
internal sealed class IdentityService(ICsiKube kube, IOptions<CsiOptions> options) : Identity.IdentityBase
{
    public string Version { get; } = options.Value.Version is { Length: > 0 } v ? v
        : typeof(IdentityService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public override Task<GetPluginInfoResponse> GetPluginInfo(GetPluginInfoRequest request, ServerCallContext context) =>
        Task.FromResult(new GetPluginInfoResponse { Name = Model.WellKnown.CsiDriverName, VendorVersion = Version });

    /// <summary>A node-only driver: no CONTROLLER_SERVICE, no topology constraints.</summary>
    public override Task<GetPluginCapabilitiesResponse> GetPluginCapabilities(GetPluginCapabilitiesRequest request, ServerCallContext context) =>
        Task.FromResult(new GetPluginCapabilitiesResponse());

    public override Task<ProbeResponse> Probe(ProbeRequest request, ServerCallContext context) =>
        Task.FromResult(new ProbeResponse { Ready = kube.HasSynced });
}
