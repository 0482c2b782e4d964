using Connectors.Modules.Csi.V1;

namespace Connectors.Modules.Csi;

/// <summary>The gRPC method paths the driver serves (<c>/csi.v1.Service/Method</c>) and their wiring.</summary>
internal static class CsiMethods
{
    public const string GetPluginInfo = "/csi.v1.Identity/GetPluginInfo";
    public const string GetPluginCapabilities = "/csi.v1.Identity/GetPluginCapabilities";
    public const string Probe = "/csi.v1.Identity/Probe";
    public const string NodePublishVolume = "/csi.v1.Node/NodePublishVolume";
    public const string NodeUnpublishVolume = "/csi.v1.Node/NodeUnpublishVolume";
    public const string NodeGetCapabilities = "/csi.v1.Node/NodeGetCapabilities";
    public const string NodeGetInfo = "/csi.v1.Node/NodeGetInfo";

    public static void Map(GrpcDispatcher dispatcher, IdentityService identity, NodeService node)
    {
        dispatcher.MapUnary(GetPluginInfo, GetPluginInfoRequest.Parser, identity.GetPluginInfoAsync);
        dispatcher.MapUnary(GetPluginCapabilities, GetPluginCapabilitiesRequest.Parser, IdentityService.GetPluginCapabilitiesAsync);
        dispatcher.MapUnary(Probe, ProbeRequest.Parser, identity.ProbeAsync);
        dispatcher.MapUnary(NodePublishVolume, NodePublishVolumeRequest.Parser, node.NodePublishVolumeAsync);
        dispatcher.MapUnary(NodeUnpublishVolume, NodeUnpublishVolumeRequest.Parser, node.NodeUnpublishVolumeAsync);
        dispatcher.MapUnary(NodeGetCapabilities, NodeGetCapabilitiesRequest.Parser, NodeService.NodeGetCapabilitiesAsync);
        dispatcher.MapUnary(NodeGetInfo, NodeGetInfoRequest.Parser, node.NodeGetInfoAsync);
    }
}
