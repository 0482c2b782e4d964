using System.Net;
using System.Text.Json.Nodes;
using Connectors.Tests.Support;

namespace Connectors.Tests.Embedded;

[TestFixture]
public sealed class WatchTests
{
    private const string ConfigMaps = "api/v1/namespaces/default/configmaps";

    [Test, CancelAfter(10_000)]
    public async Task Watch_FromResourceVersion_StreamsAddedModifiedDeleted(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var (_, list) = await api.SendAsync(HttpMethod.Get, ConfigMaps, null, cancellationToken);
        await using var watch = await WatchStream.OpenAsync(api, $"{ConfigMaps}?watch=true&resourceVersion={list["metadata"]!["resourceVersion"]}", cancellationToken);

        var (_, created) = await api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"c"},"data":{"a":"1"}}""", cancellationToken);
        await api.SendAsync(HttpMethod.Patch, ConfigMaps + "/c", """{"data":{"a":"2"}}""", cancellationToken, "application/merge-patch+json");
        await api.SendAsync(HttpMethod.Delete, ConfigMaps + "/c", null, cancellationToken);

        var events = new[] { await watch.NextAsync(cancellationToken), await watch.NextAsync(cancellationToken), await watch.NextAsync(cancellationToken) };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.Select(e => e.Type), Is.EqualTo((string[])["ADDED", "MODIFIED", "DELETED"]));
            Assert.That((string?)events[0].Object["metadata"]!["resourceVersion"], Is.EqualTo((string?)created["metadata"]!["resourceVersion"]));
            Assert.That((string?)events[1].Object["data"]!["a"], Is.EqualTo("2"));
            var versions = events.Select(e => long.Parse((string)e.Object["metadata"]!["resourceVersion"]!)).ToList();
            Assert.That(versions, Is.Ordered.Ascending.And.Unique);
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Watch_ResumeFromOldVersion_ReplaysHistoryOnWatchPath(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        var start = api.Server.ResourceVersion;
        await api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"a"}}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, "api/v1/namespaces/default/secrets", """{"metadata":{"name":"s"}}""", cancellationToken);
        await api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"b"}}""", cancellationToken);

        await using var watch = await WatchStream.OpenAsync(api, $"api/v1/watch/namespaces/default/configmaps?resourceVersion={start}", cancellationToken);
        var first = await watch.NextAsync(cancellationToken);
        var second = await watch.NextAsync(cancellationToken);
        Assert.That(new[] { first, second }.Select(e => $"{e.Type} {e.Object["metadata"]!["name"]}"), Is.EqualTo((string[])["ADDED a", "ADDED b"]));
    }

    [Test, CancelAfter(10_000)]
    public async Task Watch_WithoutResourceVersion_StartsWithSyntheticAdded(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"a"}}""", cancellationToken);
        await using var watch = await WatchStream.OpenAsync(api, $"{ConfigMaps}?watch=1", cancellationToken);
        var first = await watch.NextAsync(cancellationToken);
        Assert.That($"{first.Type} {first.Object["metadata"]!["name"]}", Is.EqualTo("ADDED a"));
    }

    [Test, CancelAfter(10_000)]
    public async Task Watch_AllowBookmarks_SendsBookmarksWithCurrentVersion(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken, o => o.BookmarkInterval = TimeSpan.FromMilliseconds(100));
        var rv = api.Server.ResourceVersion;
        await using var watch = await WatchStream.OpenAsync(api, $"apis/connectors.alauda.io/v1alpha1/connectors?watch=true&allowWatchBookmarks=true&resourceVersion={rv}", cancellationToken);
        var bookmark = await watch.NextAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(bookmark.Type, Is.EqualTo("BOOKMARK"));
            Assert.That((string?)bookmark.Object["kind"], Is.EqualTo("Connector"));
            Assert.That((string?)bookmark.Object["metadata"]!["resourceVersion"], Is.EqualTo(rv.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Watch_SendInitialEvents_EndsInitialStateWithAnnotatedBookmark(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"a"}}""", cancellationToken);
        await using var watch = await WatchStream.OpenAsync(api, $"{ConfigMaps}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true", cancellationToken);
        var added = await watch.NextAsync(cancellationToken);
        var bookmark = await watch.NextAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(added.Type, Is.EqualTo("ADDED"));
            Assert.That(bookmark.Type, Is.EqualTo("BOOKMARK"));
            Assert.That((string?)bookmark.Object["metadata"]!["annotations"]!["k8s.io/initial-events-end"], Is.EqualTo("true"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task Watch_ExpiredVersion_GetsGoneErrorEventAndListGets410(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken, o => o.HistorySize = 2);
        var old = api.Server.ResourceVersion;
        for (var i = 0; i < 4; i++)
        {
            await api.SendAsync(HttpMethod.Post, ConfigMaps, $$$"""{"metadata":{"name":"c{{{i}}}"}}""", cancellationToken);
        }

        await using var watch = await WatchStream.OpenAsync(api, $"{ConfigMaps}?watch=true&resourceVersion={old}", cancellationToken);
        var error = await watch.NextAsync(cancellationToken);
        var end = await watch.NextOrEndAsync(cancellationToken);
        var (listStatus, listBody) = await api.SendAsync(HttpMethod.Get, $"{ConfigMaps}?resourceVersion={old}&resourceVersionMatch=NotOlderThan", null, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Type, Is.EqualTo("ERROR"));
            Assert.That((int)error.Object["code"]!, Is.EqualTo(410));
            Assert.That((string?)error.Object["reason"], Is.EqualTo("Expired"));
            Assert.That(end, Is.Null, "the stream ends after the error");
            Assert.That(listStatus, Is.EqualTo(HttpStatusCode.Gone));
            Assert.That((string?)listBody["reason"], Is.EqualTo("Expired"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task CompactHistory_MakesEveryOlderVersionGone(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"a"}}""", cancellationToken);
        var old = api.Server.ResourceVersion - 1;
        api.Server.CompactHistory();
        await using var watch = await WatchStream.OpenAsync(api, $"{ConfigMaps}?watch=true&resourceVersion={old}", cancellationToken);
        Assert.That((await watch.NextAsync(cancellationToken)).Type, Is.EqualTo("ERROR"));
    }

    [Test, CancelAfter(10_000)]
    public async Task DisconnectWatchers_EndsOpenStreams(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await using var watch = await WatchStream.OpenAsync(api, $"{ConfigMaps}?watch=true&resourceVersion={api.Server.ResourceVersion}", cancellationToken);
        api.Server.DisconnectWatchers();
        Assert.That(await watch.NextOrEndAsync(cancellationToken), Is.Null);
    }

    [Test, CancelAfter(10_000)]
    public async Task Watch_TimeoutSeconds_EndsTheStream(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await using var watch = await WatchStream.OpenAsync(api, $"{ConfigMaps}?watch=true&timeoutSeconds=1&resourceVersion={api.Server.ResourceVersion}", cancellationToken);
        Assert.That(await watch.NextOrEndAsync(cancellationToken), Is.Null);
    }

    [Test, CancelAfter(10_000)]
    public async Task Watch_LabelSelector_TurnsLeavingIntoDeletedAndEnteringIntoAdded(CancellationToken cancellationToken)
    {
        await using var api = await EmbeddedApi.StartAsync(cancellationToken);
        await using var watch = await WatchStream.OpenAsync(api, $"{ConfigMaps}?watch=true&labelSelector=app%3Dweb&resourceVersion={api.Server.ResourceVersion}", cancellationToken);
        await api.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"c","labels":{"app":"db"}}}""", cancellationToken);
        await api.SendAsync(HttpMethod.Patch, ConfigMaps + "/c", """{"metadata":{"labels":{"app":"web"}}}""", cancellationToken, "application/merge-patch+json");
        await api.SendAsync(HttpMethod.Patch, ConfigMaps + "/c", """{"data":{"x":"y"}}""", cancellationToken, "application/merge-patch+json");
        await api.SendAsync(HttpMethod.Patch, ConfigMaps + "/c", """{"metadata":{"labels":{"app":"db"}}}""", cancellationToken, "application/merge-patch+json");
        var events = new[] { await watch.NextAsync(cancellationToken), await watch.NextAsync(cancellationToken), await watch.NextAsync(cancellationToken) };
        Assert.That(events.Select(e => e.Type), Is.EqualTo((string[])["ADDED", "MODIFIED", "DELETED"]));
    }

    /// <summary>A watch response read line by line.</summary>
    private sealed class WatchStream : IAsyncDisposable
    {
        private readonly HttpClient _client;
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private WatchStream(HttpClient client, HttpResponseMessage response, StreamReader reader)
        {
            _client = client;
            _response = response;
            _reader = reader;
        }

        public static async Task<WatchStream> OpenAsync(EmbeddedApi api, string path, CancellationToken cancellationToken)
        {
            var client = api.CreateClient();
            var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            return new WatchStream(client, response, new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken)));
        }

        public async Task<(string Type, JsonObject Object)> NextAsync(CancellationToken cancellationToken) =>
            await NextOrEndAsync(cancellationToken) ?? throw new AssertionException("the watch stream ended");

        public async Task<(string Type, JsonObject Object)?> NextOrEndAsync(CancellationToken cancellationToken)
        {
            var line = await _reader.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return null;
            }

            var e = JsonNode.Parse(line)!;
            return ((string)e["type"]!, e["object"]!.AsObject());
        }

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            _response.Dispose();
            _client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
