namespace Connectors.Modules.Model;

/// <summary>Reads a ConnectorClass's proxy mode (<see cref="WellKnown.ProxyModeAnnotation"/>).</summary>
public static class ProxyMode
{
    /// <summary>Whether <paramref name="connectorClass"/> is in registry mode (annotation value <c>registry</c>, case-insensitive).</summary>
    public static bool IsRegistry(ConnectorClass? connectorClass) =>
        connectorClass?.Metadata.Annotations is { } annotations
        && annotations.TryGetValue(WellKnown.ProxyModeAnnotation, out var mode)
        && string.Equals(mode?.Trim(), WellKnown.RegistryProxyMode, StringComparison.OrdinalIgnoreCase);
}
