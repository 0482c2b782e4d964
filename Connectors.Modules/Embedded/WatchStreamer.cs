using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Connectors.Modules.Embedded;

/// <summary>
/// Serves a watch: newline-delimited <c>{"type":…,"object":…}</c> events, periodic BOOKMARKs when asked for,
/// an ERROR event with a 410 Status when the requested version is no longer in the history, and the end of
/// the stream on <c>timeoutSeconds</c>, client disconnect or server shutdown.
/// </summary>
internal sealed class WatchStreamer(ObjectStore store, TimeSpan bookmarkInterval)
{
    private static readonly byte[] TypePrefix = Encoding.UTF8.GetBytes("{\"type\":\"");
    private static readonly byte[] ObjectPrefix = Encoding.UTF8.GetBytes("\",\"object\":");
    private static readonly byte[] EventSuffix = Encoding.UTF8.GetBytes("}\n");

    /// <summary>
    /// Streams the watch; <paramref name="transform"/> (object JSON, first event) rewrites object events, e.g. into
    /// one-row Tables for <c>kubectl get -w</c>.
    /// </summary>
    public async Task StreamAsync(HttpContext context, ResourceType type, string? ns, Func<JsonObject, bool> filter, ListQuery query, Func<byte[], bool, byte[]>? transform, CancellationToken cancellationToken)
    {
        StoreWatcher? watcher = null;
        ApiError? gone = null;
        lock (store.Sync)
        {
            try
            {
                watcher = store.Subscribe(type, ns, filter, query.SendInitialEvents ? null : query.Revision());
                if (query.SendInitialEvents)
                {
                    watcher.Send("BOOKMARK", Bookmark(type, store.Revision, initialEventsEnd: true));
                }
            }
            catch (ApiError e) when (e.Code == 410)
            {
                gone = e;
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.StartAsync(cancellationToken);
        // Clients wait for the response headers before they consider the watch established.
        await context.Response.BodyWriter.FlushAsync(cancellationToken);
        if (gone is not null || watcher is null)
        {
            await WriteAsync(context.Response, new WatchItem("ERROR", EmbeddedJson.ToUtf8(gone!.ToStatus())), cancellationToken);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (query.Timeout is { } timeout)
        {
            stop.CancelAfter(timeout);
        }

        var bookmarks = query.AllowBookmarks ? SendBookmarksAsync(watcher, stop.Token) : Task.CompletedTask;
        try
        {
            var first = true;
            await foreach (var item in watcher.Reader.ReadAllAsync(stop.Token))
            {
                var written = item;
                if (transform is not null && item.Type is "ADDED" or "MODIFIED" or "DELETED")
                {
                    written = item with { Json = transform(item.Json, first) };
                    first = false;
                }

                await WriteAsync(context.Response, written, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // timeoutSeconds elapsed or the client went away: the stream just ends.
        }
        finally
        {
            await stop.CancelAsync();
            await bookmarks;
            lock (store.Sync)
            {
                store.Unsubscribe(watcher);
            }
        }
    }

    private async Task SendBookmarksAsync(StoreWatcher watcher, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(bookmarkInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                lock (store.Sync)
                {
                    watcher.Send("BOOKMARK", Bookmark(watcher.Type, store.Revision, initialEventsEnd: false));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static byte[] Bookmark(ResourceType type, long revision, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        var obj = type.NewObject();
        obj["metadata"] = metadata;
        return EmbeddedJson.ToUtf8(obj);
    }

    private static async Task WriteAsync(HttpResponse response, WatchItem item, CancellationToken cancellationToken)
    {
        var writer = response.BodyWriter;
        writer.Write(TypePrefix);
        writer.Write(Encoding.UTF8.GetBytes(item.Type));
        writer.Write(ObjectPrefix);
        writer.Write(item.Json);
        writer.Write(EventSuffix);
        await writer.FlushAsync(cancellationToken);
    }
}
