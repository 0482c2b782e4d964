using Connectors.Modules.Model;

namespace Connectors.Host.Doctor;

/// <summary>Why an object is not Ready, from its status conditions.</summary>
internal static class ConditionText
{
    /// <summary>
    /// The condition to blame: the first (error-severity) condition other than Ready that is False, else the first
    /// that is Unknown (waiting on another), else Ready itself.
    /// </summary>
    public static Condition? Culprit(IReadOnlyList<Condition> conditions)
    {
        var errors = conditions.Where(c => c.Type != ConditionTypes.Ready && string.IsNullOrEmpty(c.Severity)).ToList();
        return errors.FirstOrDefault(c => c.Status == ConditionStatus.False)
            ?? errors.FirstOrDefault(c => c.Status == ConditionStatus.Unknown)
            ?? conditions.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
    }

    /// <summary><c>LivenessReady is False (ConnectionFailed): message</c>.</summary>
    public static string Describe(Condition condition) =>
        $"{condition.Type} is {condition.Status}"
        + (string.IsNullOrEmpty(condition.Reason) ? string.Empty : $" ({condition.Reason})")
        + (string.IsNullOrEmpty(condition.Message) ? string.Empty : ": " + condition.Message);

    /// <summary>Whether the Ready condition is True.</summary>
    public static bool IsReady(IReadOnlyList<Condition> conditions) =>
        conditions.FirstOrDefault(c => c.Type == ConditionTypes.Ready)?.Status == ConditionStatus.True;
}
