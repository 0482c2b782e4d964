using System.Text;
using Connectors.Modules.Model;
using Connectors.Modules.Probes;
using Connectors.Tests.Support;

namespace Connectors.Tests.Probes;

/// <summary>
/// The oci class's auth probe (<c>GET /v2/</c> with <c>Authorization: Basic</c> from the Secret) against a real
/// distribution registry with token authentication: in registry mode the probe completes the token flow.
/// </summary>
[TestFixture]
public sealed class RegistryProbeTests
{
    private static ProbeRequest V2(DistributionRegistry registry, string password, bool tokenFlow) =>
        new("GET", new Uri(registry.BaseAddress, "/v2/"), [new("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(DistributionRegistry.User + ":" + password)))], true)
        {
            RegistryTokenFlow = tokenFlow,
        };

    [Test, CancelAfter(30_000)]
    public async Task ProbeAsync_TokenRegistry_CompletesTheTokenFlowOnlyInRegistryModeAndWithTheRightPassword(CancellationToken cancellationToken)
    {
        DistributionRegistry.SkipUnlessInstalled();
        await using var tokens = await RegistryTokenServer.StartAsync(cancellationToken);
        tokens.UseAccessToken = true;
        await using var registry = await DistributionRegistry.StartTokenAsync(tokens, cancellationToken);
        var probe = HttpProbeTests.NewProbe();

        var withFlow = await probe.ProbeAsync(V2(registry, DistributionRegistry.Password, true), cancellationToken);
        var withoutFlow = await probe.ProbeAsync(V2(registry, DistributionRegistry.Password, false), cancellationToken);
        var wrongPassword = await probe.ProbeAsync(V2(registry, "wrong", true), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((withFlow.Outcome, withFlow.StatusCode), Is.EqualTo((ProbeOutcome.Succeeded, (int?)200)));
            Assert.That((withoutFlow.Outcome, withoutFlow.StatusCode), Is.EqualTo((ProbeOutcome.Rejected, (int?)401)));
            Assert.That((wrongPassword.Outcome, wrongPassword.StatusCode), Is.EqualTo((ProbeOutcome.Rejected, (int?)401)));
            Assert.That(wrongPassword.Message, Does.Contain("token flow failed").And.Not.Contain("wrong"));
            Assert.That(tokens.Issued, Is.EqualTo(1));
            Assert.That(tokens.Refused, Is.EqualTo(1));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task ProbeAsync_RegistryLiveness_RegistrysOwn401IsAliveAnOther401IsNot(CancellationToken cancellationToken)
    {
        DistributionRegistry.SkipUnlessInstalled();
        await using var registry = await DistributionRegistry.StartHtpasswdAsync(cancellationToken);
        await using var other = await ToolServer.StartAsync(ctx => ctx.Response.StatusCode = 401, cancellationToken);
        var probe = HttpProbeTests.NewProbe();

        // The shipped oci class's liveness condition decides (registryMode false: a probe without it, 2xx only).
        var oci = KubeYaml.Load<ConnectorClass>(TestData.Read("manifests", "connectorclasses", "oci.yaml"));
        var (ociLiveness, error) = CelCondition.Compile(oci.Spec.LivenessProbe!.Http!.Response!.Cel!);
        Assert.That(error, Is.Null);
        ProbeRequest Liveness(Uri address, bool registryMode) =>
            new("GET", new Uri(address, "/v2/"), [], true) { Condition = registryMode ? ociLiveness : null };

        var live = await probe.ProbeAsync(Liveness(registry.BaseAddress, true), cancellationToken);
        var plainMode = await probe.ProbeAsync(Liveness(registry.BaseAddress, false), cancellationToken);
        var notARegistry = await probe.ProbeAsync(Liveness(other.BaseAddress, true), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((live.Outcome, live.StatusCode), Is.EqualTo((ProbeOutcome.Succeeded, (int?)401)));
            Assert.That(plainMode.Outcome, Is.EqualTo(ProbeOutcome.Rejected));
            Assert.That(notARegistry.Outcome, Is.EqualTo(ProbeOutcome.Rejected));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task ProbeAsync_HtpasswdRegistry_BasicIsEnoughAndTheFlowIsNotNeeded(CancellationToken cancellationToken)
    {
        DistributionRegistry.SkipUnlessInstalled();
        await using var registry = await DistributionRegistry.StartHtpasswdAsync(cancellationToken);
        var probe = HttpProbeTests.NewProbe();

        var right = await probe.ProbeAsync(V2(registry, DistributionRegistry.Password, true), cancellationToken);
        var wrong = await probe.ProbeAsync(V2(registry, "wrong", true), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(right.Outcome, Is.EqualTo(ProbeOutcome.Succeeded));
            Assert.That((wrong.Outcome, wrong.StatusCode), Is.EqualTo((ProbeOutcome.Rejected, (int?)401)));
        }
    }
}
