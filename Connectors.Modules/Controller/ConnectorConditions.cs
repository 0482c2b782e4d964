using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>The condition sets of the two kinds, dependents in the order the reconcile checks them.</summary>
internal static class ConnectorConditions
{
    public static readonly LivingConditionSet Connector = new(
    [
        ConditionTypes.ConnectorClassReady,
        ConditionTypes.SecretReady,
        ConditionTypes.LivenessReady,
        ConditionTypes.AuthReady,
        ConditionTypes.ProxyServiceReady,
    ], optional: [ConditionTypes.CACertReady]);

    public static readonly LivingConditionSet ConnectorClass = new([ConditionTypes.ApiReady, ConditionTypes.ProxyReady], conditional: [ConditionTypes.ProbesReady, ConditionTypes.SpecValid]);

    /// <summary>Unknown, waiting for <paramref name="blocker"/>: a later check that cannot run yet.</summary>
    public static ConditionState Waiting(string blocker) => ConditionState.Unknown(null, $"waiting for {blocker}");
}
