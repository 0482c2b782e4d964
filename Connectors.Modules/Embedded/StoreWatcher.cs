using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Connectors.Modules.Embedded;

/// <summary>One watch stream's subscription: filters store events and queues them for the HTTP writer.</summary>
internal sealed class StoreWatcher(ResourceType type, string? ns, Func<JsonObject, bool> filter)
{
    private readonly Channel<WatchItem> _channel = Channel.CreateUnbounded<WatchItem>(new UnboundedChannelOptions { SingleReader = true });

    public ResourceType Type { get; } = type;

    public ChannelReader<WatchItem> Reader => _channel.Reader;

    /// <summary>Queues <paramref name="e"/> as the watcher sees it: an update that leaves the selector is DELETED, one that enters it ADDED.</summary>
    public void Offer(StoreEvent e)
    {
        if (e.Object.Type != Type || (ns is not null && e.Object.Namespace != ns))
        {
            return;
        }

        var now = filter(e.Object.Node);
        var before = e.Previous is not null && filter(e.Previous.Node);
        var kind = e.Type switch
        {
            "ADDED" => now ? "ADDED" : null,
            "DELETED" => now ? "DELETED" : null,
            _ when now && before => "MODIFIED",
            _ when now => "ADDED",
            _ when before => "DELETED",
            _ => null,
        };
        if (kind is not null)
        {
            _channel.Writer.TryWrite(new WatchItem(kind, e.Object.Json));
        }
    }

    /// <summary>Queues a synthetic event (initial ADDED, BOOKMARK, ERROR).</summary>
    public void Send(string kind, byte[] json) => _channel.Writer.TryWrite(new WatchItem(kind, json));

    /// <summary>Ends the stream after what is queued.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}

/// <summary>One event of a watch stream: its type and the object (or Status) as JSON.</summary>
internal readonly record struct WatchItem(string Type, byte[] Json);

/// <summary>A committed change: ADDED, MODIFIED or DELETED, with the version before it for selector transitions.</summary>
internal sealed record StoreEvent(string Type, StoredObject Object, StoredObject? Previous);
