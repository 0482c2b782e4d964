using Connectors.Modules.Controller;
using Connectors.Modules.Model;

namespace Connectors.Tests.Controller;

[TestFixture]
public sealed class LivingConditionSetTests
{
    private static readonly LivingConditionSet Set = new([ConditionTypes.SecretReady, ConditionTypes.AuthReady]);
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void Apply_AllTrue_ReadyTrue()
    {
        var conditions = Set.Apply(null, States(ConditionState.True(), ConditionState.True()), T0);
        Assert.That(conditions.Select(c => (c.Type, c.Status)), Is.EqualTo(new[]
        {
            (ConditionTypes.SecretReady, ConditionStatus.True),
            (ConditionTypes.AuthReady, ConditionStatus.True),
            (ConditionTypes.Ready, ConditionStatus.True),
        }));
    }

    [Test]
    public void Apply_OneFalse_ReadyFalseWithItsReasonAndMessage()
    {
        var conditions = Set.Apply(null, States(ConditionState.Unknown(null, "checking"), ConditionState.False(ConditionReasons.AuthenticationFailed, "Authentication failed: status code 401")), T0);
        var ready = conditions.Single(c => c.Type == ConditionTypes.Ready);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ready.Status, Is.EqualTo(ConditionStatus.False));
            Assert.That(ready.Reason, Is.EqualTo(ConditionReasons.AuthenticationFailed));
            Assert.That(ready.Message, Is.EqualTo("Authentication failed: status code 401"));
        }
    }

    [Test]
    public void Apply_UnknownAndTrue_ReadyUnknown()
    {
        var conditions = Set.Apply(null, States(ConditionState.True(), ConditionState.Unknown(null, "checking")), T0);
        Assert.That(conditions.Single(c => c.Type == ConditionTypes.Ready).Status, Is.EqualTo(ConditionStatus.Unknown));
    }

    [Test]
    public void Aggregate_FalseInfoCondition_DoesNotCount()
    {
        var ready = LivingConditionSet.Aggregate(
        [
            new Condition { Type = ConditionTypes.SecretReady, Status = ConditionStatus.True },
            new Condition { Type = ConditionTypes.CACertReady, Status = ConditionStatus.False, Severity = "Info", Reason = ConditionReasons.InvalidPem },
        ]);
        Assert.That(ready.Status, Is.EqualTo(ConditionStatus.True));
    }

    [Test]
    public void Apply_SameStatusLater_KeepsLastTransitionTime()
    {
        var first = Set.Apply(null, States(ConditionState.True(), ConditionState.False(ConditionReasons.AuthenticationFailed, "status code 401")), T0);
        var second = Set.Apply(first, States(ConditionState.True(), ConditionState.False(ConditionReasons.AuthenticationFailed, "status code 403")), T0.AddMinutes(5));
        var third = Set.Apply(second, States(ConditionState.True(), ConditionState.True()), T0.AddMinutes(9));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Single(c => c.Type == ConditionTypes.AuthReady).LastTransitionTime, Is.EqualTo(T0));
            Assert.That(third.Single(c => c.Type == ConditionTypes.AuthReady).LastTransitionTime, Is.EqualTo(T0.AddMinutes(9)));
            Assert.That(third.Single(c => c.Type == ConditionTypes.SecretReady).LastTransitionTime, Is.EqualTo(T0));
        }
    }

    [Test]
    public void SameConditions_ReappliedUnchanged_True()
    {
        var first = Set.Apply(null, States(ConditionState.True(), ConditionState.True()), T0);
        var second = Set.Apply(first, States(ConditionState.True(), ConditionState.True()), T0.AddHours(1));
        Assert.That(LivingConditionSet.SameConditions(first, second), Is.True);
    }

    [Test]
    public void Apply_ForeignCondition_Kept()
    {
        var foreign = new Condition { Type = "Custom", Status = ConditionStatus.False };
        var conditions = Set.Apply([foreign], States(ConditionState.True(), ConditionState.True()), T0);
        Assert.That(conditions.Last().Type, Is.EqualTo("Custom"));
    }

    [Test]
    public void Apply_OptionalType_WrittenAfterReadyWhileGivenRemovedOtherwiseNeverCounted()
    {
        var set = new LivingConditionSet([ConditionTypes.SecretReady], optional: [ConditionTypes.CACertReady]);
        var states = new Dictionary<string, ConditionState>
        {
            [ConditionTypes.SecretReady] = ConditionState.True(),
            [ConditionTypes.CACertReady] = new(ConditionStatus.False, ConditionReasons.SecretNotFound, "missing", "Info"),
        };
        var on = set.Apply(null, states, T0);
        states.Remove(ConditionTypes.CACertReady);
        var off = set.Apply(on, states, T0.AddMinutes(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(on.Select(c => (c.Type, c.Status)), Is.EqualTo(new[]
            {
                (ConditionTypes.SecretReady, ConditionStatus.True),
                (ConditionTypes.Ready, ConditionStatus.True),
                (ConditionTypes.CACertReady, ConditionStatus.False),
            }));
            Assert.That(on[^1].Severity, Is.EqualTo("Info"));
            Assert.That(off.Select(c => c.Type), Is.EqualTo(new[] { ConditionTypes.SecretReady, ConditionTypes.Ready }));
        }
    }

    private static Dictionary<string, ConditionState> States(ConditionState secret, ConditionState auth) => new()
    {
        [ConditionTypes.SecretReady] = secret,
        [ConditionTypes.AuthReady] = auth,
    };
}
