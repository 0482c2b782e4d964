using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>
/// A Knative "living condition set": a happy condition (<c>Ready</c>) that is True only when every dependent
/// condition of Error severity is True, False when any is False (taking the first False one's reason and
/// message), Unknown otherwise. Conditions of <c>Info</c> or <c>Warning</c> severity never count.
/// <c>lastTransitionTime</c> changes only when a condition's status changes. <paramref name="optional"/> types are
/// written after the happy one only while a state is given for them, and removed otherwise (a feature-flagged
/// condition such as <c>CACertReady</c>); they never count towards the happy condition. <paramref name="conditional"/>
/// types are dependents written (before the happy one) only while a state is given for them, and removed otherwise:
/// a class's <c>ProbesReady</c> exists only while the class declares CEL conditions.
/// </summary>
internal sealed class LivingConditionSet(
    IReadOnlyList<string> dependents, string happy = ConditionTypes.Ready, IReadOnlyList<string>? optional = null, IReadOnlyList<string>? conditional = null)
{
    private readonly IReadOnlyList<string> _optional = [.. optional ?? [], .. conditional ?? []];
    private readonly IReadOnlyList<string> _conditional = conditional ?? [];

    /// <summary>The condition types this set writes, dependents in order then the happy one.</summary>
    public IReadOnlyList<string> Types { get; } = [.. dependents, happy];

    /// <summary>
    /// Builds the new condition list: the dependents from <paramref name="states"/> (a missing one is Unknown),
    /// the happy condition aggregated from them, and conditions of other types kept from <paramref name="existing"/>.
    /// </summary>
    public List<Condition> Apply(IReadOnlyList<Condition>? existing, IReadOnlyDictionary<string, ConditionState> states, DateTimeOffset now)
    {
        var result = new List<Condition>(Types.Count + 1);
        foreach (var type in dependents)
        {
            var state = states.TryGetValue(type, out var s) ? s : ConditionState.Unknown(null, "not checked yet");
            result.Add(Build(existing, type, state, now));
        }

        foreach (var type in _conditional)
        {
            if (states.TryGetValue(type, out var state))
            {
                result.Add(Build(existing, type, state, now));
            }
        }

        result.Add(Build(existing, happy, Aggregate(result), now));
        foreach (var type in _optional.Except(_conditional))
        {
            if (states.TryGetValue(type, out var state))
            {
                result.Add(Build(existing, type, state, now));
            }
        }

        if (existing is not null)
        {
            result.AddRange(existing.Where(c => !Types.Contains(c.Type) && !_optional.Contains(c.Type)));
        }

        return result;
    }

    /// <summary>The happy condition implied by <paramref name="conditions"/>.</summary>
    public static ConditionState Aggregate(IEnumerable<Condition> conditions)
    {
        Condition? unknown = null;
        foreach (var condition in conditions)
        {
            if (!string.IsNullOrEmpty(condition.Severity) && condition.Severity != "Error")
            {
                continue;
            }

            if (condition.Status == ConditionStatus.False)
            {
                return new ConditionState(ConditionStatus.False, condition.Reason, condition.Message);
            }

            if (condition.Status != ConditionStatus.True)
            {
                unknown ??= condition;
            }
        }

        return unknown is null
            ? ConditionState.True()
            : new ConditionState(ConditionStatus.Unknown, unknown.Reason, unknown.Message);
    }

    /// <summary>Whether two condition lists say the same thing, ignoring <c>lastTransitionTime</c>.</summary>
    public static bool SameConditions(IReadOnlyList<Condition>? a, IReadOnlyList<Condition>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        for (var i = 0; i < (a?.Count ?? 0); i++)
        {
            var (x, y) = (a![i], b![i]);
            if (x.Type != y.Type || x.Status != y.Status || Norm(x.Reason) != Norm(y.Reason)
                || Norm(x.Message) != Norm(y.Message) || Norm(x.Severity) != Norm(y.Severity)
                || x.LastTransitionTime != y.LastTransitionTime)
            {
                return false;
            }
        }

        return true;
    }

    private static Condition Build(IReadOnlyList<Condition>? existing, string type, ConditionState state, DateTimeOffset now)
    {
        var previous = existing?.FirstOrDefault(c => c.Type == type);
        var changed = previous is null || previous.Status != state.Status;
        return new Condition
        {
            Type = type,
            Status = state.Status,
            Reason = Nullify(state.Reason),
            Message = Nullify(state.Message),
            Severity = Nullify(state.Severity),
            // Kubernetes serialises times at second precision; keep that so a round trip compares equal.
            LastTransitionTime = changed ? TruncateToSeconds(now) : previous!.LastTransitionTime,
        };
    }

    private static string? Nullify(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Norm(string? value) => value ?? string.Empty;

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), time.Offset);
}
