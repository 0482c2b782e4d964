namespace Connectors.Modules.Csi;

/// <summary>What a CSI driver says about itself: GetPluginInfo, NodeGetInfo and Probe.</summary>
public sealed record CsiDriverInfo(string Name, string Version, string NodeId, bool Ready);
