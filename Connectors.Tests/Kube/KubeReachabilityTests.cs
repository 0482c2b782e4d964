using Connectors.Modules.Kube;
using Connectors.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Tests.Kube;

[TestFixture]
public sealed class KubeReachabilityTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Test, CancelAfter(40_000)]
    public async Task Service_ApiStalledThenResumed_UnreachableWithLostTokenThenBack(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await using var proxy = TcpFaultProxy.Start(api.BaseUrl);
        using var dir = new TempDirectory();
        using var client = EmbeddedKube.ThroughProxy(api, proxy, dir);
        using var service = new KubeReachabilityService(client, NullLogger<KubeReachabilityService>.Instance);
        await service.StartAsync(cancellationToken);
        var reachedFirst = await client.ProbeReachableAsync(TimeSpan.FromSeconds(5), cancellationToken);
        var lost = client.Reachability.LostToken;

        proxy.Stall();
        client.Reachability.Suspect();
        var noticed = await EmbeddedKube.EventuallyAsync(() => !client.Reachability.IsReachable, Wait, cancellationToken);
        var problem = client.Reachability.Problem;
        var readyDuring = service.IsReady;
        proxy.Resume();
        var back = await EmbeddedKube.EventuallyAsync(() => client.Reachability.IsReachable, Wait, cancellationToken);
        await service.StopAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reachedFirst, Is.True);
            Assert.That(noticed, Is.True);
            Assert.That(lost.IsCancellationRequested, Is.True);
            Assert.That(problem, Does.Contain("no answer within"));
            Assert.That(readyDuring, Is.False);
            Assert.That(back, Is.True);
            Assert.That(client.Reachability.LostToken.IsCancellationRequested, Is.False);
            Assert.That(service.IsReady, Is.True);
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Request_ConnectionRefused_SuspectedThenConfirmedByTheProbeAndClearedByAnAnswer(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await using var proxy = TcpFaultProxy.Start(api.BaseUrl);
        using var dir = new TempDirectory();
        using var client = EmbeddedKube.ThroughProxy(api, proxy, dir);
        using var service = new KubeReachabilityService(client, NullLogger<KubeReachabilityService>.Instance);
        await service.StartAsync(cancellationToken);

        proxy.Block();
        var refused = await client.GetRawAsync("/version", cancellationToken);
        var noticed = await EmbeddedKube.EventuallyAsync(() => !client.Reachability.IsReachable, Wait, cancellationToken);
        var problem = client.Reachability.Problem;
        proxy.Unblock();
        var answered = await client.GetRawAsync("/version", cancellationToken);
        await service.StopAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.IsOk, Is.False);
            Assert.That(noticed, Is.True);
            Assert.That(problem, Does.Contain("cannot reach the Kubernetes API"));
            Assert.That(answered.IsOk, Is.True);
            Assert.That(client.Reachability.IsReachable, Is.True);
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Request_OneTimeout_OnlySuspectedNotAnOutage(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await using var proxy = TcpFaultProxy.Start(api.BaseUrl);
        using var dir = new TempDirectory();
        using var client = EmbeddedKube.ThroughProxy(api, proxy, dir);
        var lost = client.Reachability.LostToken;

        // One request that gets no answer in time is a suspicion for the probe to check, not an outage by itself.
        proxy.Stall();
        var slow = await client.Transport.SendAsync(HttpMethod.Get, "/version", null, null, TimeSpan.FromMilliseconds(200), limited: false, cancellationToken);
        var reachableAfterSlow = client.Reachability.IsReachable;
        proxy.Resume();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(slow.TransportError, Does.Contain("no answer within"));
            Assert.That(reachableAfterSlow, Is.True);
            Assert.That(lost.IsCancellationRequested, Is.False);
        }
    }
}
