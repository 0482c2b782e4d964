namespace Connectors.Modules.Csi;

/// <summary>A Connector named by a volume: <c>namespace/name</c>.</summary>
internal readonly record struct ConnectorRef(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}
