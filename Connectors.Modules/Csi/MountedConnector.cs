using Connectors.Modules.Model;

namespace Connectors.Modules.Csi;

/// <summary>A Connector of the volume with its class and the proxy URL its files point at.</summary>
internal sealed record MountedConnector(ConnectorRef Ref, Connector Connector, ConnectorClass Class, string ProxyAddress);
