using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>What one condition should say: status, reason, message and severity (empty = Error).</summary>
internal readonly record struct ConditionState(string Status, string? Reason = null, string? Message = null, string? Severity = null)
{
    public static ConditionState True(string? reason = null, string? message = null) => new(ConditionStatus.True, reason, message);

    public static ConditionState False(string reason, string message) => new(ConditionStatus.False, reason, message);

    public static ConditionState Unknown(string? reason, string message) => new(ConditionStatus.Unknown, reason, message);

    public bool IsTrue => Status == ConditionStatus.True;
}
