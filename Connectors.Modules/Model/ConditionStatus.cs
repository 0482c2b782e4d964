namespace Connectors.Modules.Model;

/// <summary>Values of <c>Condition.status</c>.</summary>
public static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}
