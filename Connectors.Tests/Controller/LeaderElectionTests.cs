using Connectors.Modules.Model;
using Connectors.Tests.Support;

namespace Connectors.Tests.Controller;

[TestFixture]
public sealed class LeaderElectionTests
{
    private static readonly Dictionary<string, string?> Elected = new()
    {
        ["Controller:LeaderElect"] = "true",
        ["Kube:LeaderElection:LeaseDuration"] = "2s",
        ["Kube:LeaderElection:RenewDeadline"] = "1500ms",
        ["Kube:LeaderElection:RetryPeriod"] = "200ms",
    };

    [Test, CancelAfter(45_000)]
    public async Task TwoReplicas_OnlyTheLeaderReconciles_FollowerTakesOverOnStop(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var a = await ControllerHarness.StartAsync(api, cancellationToken, Elected);
        await using var b = await ControllerHarness.StartAsync(api, cancellationToken, Elected);
        await a.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = WellKnown.DefaultComponentsNamespace } }, cancellationToken);
        await a.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "team" } }, cancellationToken);
        await a.CreateAsync(Fixtures.GitClass("git", withProxy: false), cancellationToken);
        for (var i = 0; i < 5; i++)
        {
            await a.CreateAsync(Fixtures.GitConnector("team", $"c{i}", "http://127.0.0.1:9/", secretName: null), cancellationToken);
        }

        // Watch both for three seconds: never two leaders, and exactly one reconciling.
        var sawLeader = false;
        for (var sample = 0; sample < 60; sample++)
        {
            Assert.That(a.Controller.IsLeading && b.Controller.IsLeading, Is.False, "two leaders at once");
            sawLeader |= a.Controller.IsLeading || b.Controller.IsLeading;
            await Task.Delay(50, cancellationToken);
        }

        var (leader, follower) = a.Controller.IsLeading ? (a, b) : (b, a);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sawLeader, Is.True);
            Assert.That(leader.Loops.Connectors.Processed, Is.GreaterThanOrEqualTo(5));
            Assert.That(follower.Loops.Connectors.Processed + follower.Loops.Classes.Processed, Is.Zero, "the follower reconciled");
        }

        await leader.DisposeAsync();
        await follower.WaitForAsync<Connector>("team", "c0", _ => follower.Controller.IsLeading, cancellationToken);
        await follower.UpdateAsync<Connector>("team", "c0", c => c.Spec.Address = "http://127.0.0.1:10/", cancellationToken);
        await follower.WaitForAsync<Connector>("team", "c0", c => c.Status?.ObservedGeneration == 2, cancellationToken);
        Assert.That(follower.Loops.Connectors.Processed, Is.GreaterThanOrEqualTo(1));
        if (!ReferenceEquals(leader, a))
        {
            await a.DisposeAsync();
        }
    }
}
