using System.Net.Sockets;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Connectors.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Tests.Kube;

/// <summary>Watch caches against the embedded API, with a TCP fault proxy for broken streams.</summary>
[TestFixture]
public sealed class ResourceCacheTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test, CancelAfter(30_000)]
    public async Task RunAsync_ChangesAfterSync_UpdatesIndexesAndCallsHandlers(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var client = EmbeddedKube.Admin(api);
        await client.CreateAsync(KubeClientEmbeddedTests.NewConnector("a", "git", secret: "s1"), cancellationToken);
        await client.CreateAsync(KubeClientEmbeddedTests.NewConnector("b", "gitlab", secret: "s2"), cancellationToken);
        var cache = NewCache(client);
        var seen = new List<string>();
        cache.OnAdd(c => Record(seen, "add " + c.Metadata.Name));
        cache.OnUpdate((old, now) => Record(seen, $"update {now.Metadata.Name} {old.Spec.ConnectorClassName}->{now.Spec.ConnectorClassName}"));
        cache.OnDelete(c => Record(seen, "delete " + c.Metadata.Name));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = cache.RunAsync(stop.Token);
        await cache.WaitForSyncAsync(cancellationToken);
        var bySecret = cache.ByIndex(KubeIndexes.ConnectorsBySecret, "default/s1").Select(c => c.Metadata.Name).ToList();

        await client.CreateAsync(KubeClientEmbeddedTests.NewConnector("c", "git"), cancellationToken);
        var a = (await client.GetAsync<Connector>("default", "a", cancellationToken)).Value!;
        a.Spec.ConnectorClassName = "gitlab";
        await client.UpdateAsync(a, cancellationToken);
        await client.DeleteAsync<Connector>("default", "b", cancellationToken);
        var settled = await EmbeddedKube.EventuallyAsync(() => Count(seen) == 5, Wait, cancellationToken);
        await stop.CancelAsync();
        await running;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(settled, Is.True, string.Join("; ", seen));
            Assert.That(cache.HasSynced && cache.IsReady, Is.True);
            Assert.That(bySecret, Is.EqualTo((string[])["a"]));
            Assert.That(seen, Is.EqualTo((string[])["add a", "add b", "add c", "update a git->gitlab", "delete b"]));
            Assert.That(cache.ByIndex(KubeIndexes.ConnectorsByClass, "git").Select(c => c.Metadata.Name), Is.EqualTo((string[])["c"]));
            Assert.That(cache.ByIndex(KubeIndexes.ConnectorsByClass, "gitlab").Select(c => c.Metadata.Name), Is.EqualTo((string[])["a"]));
            Assert.That(cache.ByIndex(KubeIndexes.ConnectorsBySecret, "default/s2"), Is.Empty);
            Assert.That(cache.Get("default", "c"), Is.Not.Null);
            Assert.That(cache.List("default"), Has.Count.EqualTo(2));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task RunAsync_ObjectAnIndexerCannotIndex_SkippedAndLaterChangesSeen(CancellationToken cancellationToken)
    {
        // One poison object (an indexer throws on it) once ended the watch on its event; every reconnect replayed it,
        // so nothing after it was ever seen.
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var client = EmbeddedKube.Admin(api);
        var options = new ResourceCacheOptions<Connector> { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(400) };
        options.Indexers[KubeIndexes.ConnectorsByClass] = c => c.Spec.ConnectorClassName == "poison" ? throw new InvalidOperationException("cannot index") : KubeIndexes.ClassOf(c);
        var cache = new ResourceCache<Connector>(client, options, TimeProvider.System, NullLogger<ResourceCache<Connector>>.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = cache.RunAsync(stop.Token);
        await cache.WaitForSyncAsync(cancellationToken);

        await client.CreateAsync(KubeClientEmbeddedTests.NewConnector("bad", "poison"), cancellationToken);
        await client.CreateAsync(KubeClientEmbeddedTests.NewConnector("after", "git"), cancellationToken);
        var seen = await EmbeddedKube.EventuallyAsync(() => cache.Get("default", "after") is not null, Wait, cancellationToken);
        await stop.CancelAsync();
        await running;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen, Is.True, "the Connector created after the poison one reached the cache");
            Assert.That(cache.Get("default", "bad"), Is.Null);
            Assert.That(cache.ByIndex(KubeIndexes.ConnectorsByClass, "git").Select(c => c.Metadata.Name), Is.EqualTo((string[])["after"]));
        }
    }

    [Test]
    public void Deserialize_SpecNull_ReadsAsEmptySpec()
    {
        var connector = ModelJson.Deserialize<Connector>("""{"metadata":{"name":"n","namespace":"b"},"spec":null}"""u8);
        var connectorClass = ModelJson.Deserialize<ConnectorClass>("""{"metadata":{"name":"c"},"spec":null}"""u8);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(connector.Spec, Is.Not.Null);
            Assert.That(KubeIndexes.ClassOf(connector), Is.Empty);
            Assert.That(connectorClass.Spec, Is.Not.Null);
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task RunAsync_ServerEndsWatch_ResumesFromResourceVersionWithoutRelist(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        using var client = EmbeddedKube.Admin(api);
        var cache = NewCache(client);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = cache.RunAsync(stop.Token);
        await cache.WaitForSyncAsync(cancellationToken);
        await client.CreateAsync(KubeClientEmbeddedTests.NewConnector("before", "git"), cancellationToken);
        await EmbeddedKube.EventuallyAsync(() => cache.Count == 1, Wait, cancellationToken);
        api.Server.DisconnectWatchers();
        await client.CreateAsync(KubeClientEmbeddedTests.NewConnector("after", "git"), cancellationToken);
        var caughtUp = await EmbeddedKube.EventuallyAsync(() => cache.Get("default", "after") is not null, Wait, cancellationToken);
        await stop.CancelAsync();
        await running;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(caughtUp, Is.True);
            Assert.That(cache.ListCount, Is.EqualTo(1));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task RunAsync_ConnectionReset_ReconnectsWithBackoffAndCatchesUp(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await using var proxy = TcpFaultProxy.Start(api.BaseUrl);
        using var dir = new TempDirectory();
        using var admin = EmbeddedKube.Admin(api);
        using var client = EmbeddedKube.ThroughProxy(api, proxy, dir);
        var cache = NewCache(client);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = cache.RunAsync(stop.Token);
        await cache.WaitForSyncAsync(cancellationToken);
        proxy.Break();
        await admin.CreateAsync(KubeClientEmbeddedTests.NewConnector("during", "git"), cancellationToken);
        var caughtUp = await EmbeddedKube.EventuallyAsync(() => cache.Get("default", "during") is not null, Wait, cancellationToken);
        await stop.CancelAsync();
        await running;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(caughtUp, Is.True);
            Assert.That(proxy.Forwarded, Is.GreaterThanOrEqualTo(2));
            Assert.That(cache.ListCount, Is.EqualTo(1));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task RunAsync_VersionCompactedWhileDisconnected_RelistsOn410AndReportsMissedDelete(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await using var proxy = TcpFaultProxy.Start(api.BaseUrl);
        using var dir = new TempDirectory();
        using var admin = EmbeddedKube.Admin(api);
        using var client = EmbeddedKube.ThroughProxy(api, proxy, dir);
        await admin.CreateAsync(KubeClientEmbeddedTests.NewConnector("old", "git"), cancellationToken);
        var cache = NewCache(client);
        var deleted = new List<string>();
        cache.OnDelete(c => Record(deleted, c.Metadata.Name!));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = cache.RunAsync(stop.Token);
        await cache.WaitForSyncAsync(cancellationToken);
        proxy.Block();
        await admin.DeleteAsync<Connector>("default", "old", cancellationToken);
        await admin.CreateAsync(KubeClientEmbeddedTests.NewConnector("new", "git"), cancellationToken);
        api.Server.CompactHistory();
        proxy.Unblock();
        var relisted = await EmbeddedKube.EventuallyAsync(() => cache.ListCount == 2 && cache.Get("default", "new") is not null, Wait, cancellationToken);
        await stop.CancelAsync();
        await running;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(relisted, Is.True, $"lists: {cache.ListCount}");
            Assert.That(cache.Get("default", "old"), Is.Null);
            Assert.That(deleted, Is.EqualTo((string[])["old"]));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task IsReady_BeforeFirstList_IsFalse(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await using var proxy = TcpFaultProxy.Start(api.BaseUrl);
        using var dir = new TempDirectory();
        using var client = EmbeddedKube.ThroughProxy(api, proxy, dir);
        proxy.Block();
        var cache = NewCache(client);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = cache.RunAsync(stop.Token);

        // Two refused connections: the first list failed and the loop went on to try again (no sleep to guess at).
        var retried = await EmbeddedKube.EventuallyAsync(() => proxy.Refused >= 2 || running.IsCompleted, Wait, cancellationToken);
        var readyWhileBlocked = cache.IsReady;
        proxy.Unblock();
        var first = await Task.WhenAny(cache.WaitForSyncAsync(cancellationToken), running);
        await stop.CancelAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(running.IsFaulted, Is.False, () => $"the cache loop ended: {running.Exception}");
            Assert.That(retried, Is.True, $"refused connections: {proxy.Refused}");
            Assert.That(first, Is.Not.SameAs(running));
            Assert.That(readyWhileBlocked, Is.False);
            Assert.That(cache.IsReady, Is.True);
            Assert.That(cache.Name, Is.EqualTo("cache connectors"));
        }

        await running;
    }

    [Test, CancelAfter(30_000)]
    public async Task RunAsync_TransportThrowsUnwrappedSocketException_RetriesAndSyncs(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var config = KubeConfigResolver.FromFile(api.KubeconfigPath, null);
        // SocketsHttpHandler throws a bare SocketException (ENOTCONN, not an HttpRequestException) when a connection is
        // reset while it reads the remote end point: the cache loop must treat it as any broken connection.
        var handler = new FailingHandler(failures: 2, () => new SocketException((int)SocketError.NotConnected));
        using var client = KubeClientFactory.Create(config, new KubeOptions { Qps = 0, RequestTimeout = TimeSpan.FromSeconds(5) }, TimeProvider.System, NullLoggerFactory.Instance, handler);
        using var admin = EmbeddedKube.Admin(api);
        await admin.CreateAsync(KubeClientEmbeddedTests.NewConnector("a", "git"), cancellationToken);
        var cache = NewCache(client);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = cache.RunAsync(stop.Token);
        var first = await Task.WhenAny(cache.WaitForSyncAsync(cancellationToken), running);
        await stop.CancelAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(running.IsFaulted, Is.False, () => $"the cache loop ended: {running.Exception}");
            Assert.That(first, Is.Not.SameAs(running));
            Assert.That(handler.Failed, Is.EqualTo(2));
            Assert.That(cache.Get("default", "a"), Is.Not.Null);
        }

        await running;
    }

    private static ResourceCache<Connector> NewCache(KubeClient client)
    {
        var options = new ResourceCacheOptions<Connector> { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(400) };
        options.Indexers[KubeIndexes.ConnectorsByClass] = KubeIndexes.ClassOf;
        options.Indexers[KubeIndexes.ConnectorsBySecret] = KubeIndexes.SecretsOf;
        return new ResourceCache<Connector>(client, options, TimeProvider.System, NullLogger<ResourceCache<Connector>>.Instance);
    }

    /// <summary>Throws the exception <c>fail</c> makes for the first <c>failures</c> requests, then passes them on.</summary>
    private sealed class FailingHandler(int failures, Func<Exception> fail) : DelegatingHandler
    {
        private int _sent;

        public int Failed => Math.Min(failures, Volatile.Read(ref _sent));

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _sent) <= failures
                ? Task.FromException<HttpResponseMessage>(fail())
                : base.SendAsync(request, cancellationToken);
    }

    private static void Record(List<string> log, string entry)
    {
        lock (log)
        {
            log.Add(entry);
        }
    }

    private static int Count(List<string> log)
    {
        lock (log)
        {
            return log.Count;
        }
    }
}
