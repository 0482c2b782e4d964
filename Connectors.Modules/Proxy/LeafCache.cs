using System.Net.Security;

namespace Connectors.Modules.Proxy;

/// <summary>A small least-recently-used cache of minted leaf certificates by host; a leaf within an hour of expiry is re-minted.</summary>
internal sealed class LeafCache(int capacity)
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromHours(1);

    private readonly Dictionary<string, LinkedListNode<Item>> _items = new(StringComparer.OrdinalIgnoreCase);
    private readonly LinkedList<Item> _order = new();
    private readonly Lock _gate = new();

    public int Count
    {
        get { lock (_gate) { return _items.Count; } }
    }

    public bool TryGet(string host, DateTimeOffset now, out SslStreamCertificateContext? context)
    {
        lock (_gate)
        {
            if (_items.TryGetValue(host, out var node) && node.Value.NotAfter - now > TimeSpan.FromTicks(Math.Min(RenewBefore.Ticks, (node.Value.NotAfter - node.Value.Minted).Ticks / 2)))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                context = node.Value.Context;
                return true;
            }
        }

        context = null;
        return false;
    }

    public void Add(string host, SslStreamCertificateContext context, DateTimeOffset notAfter, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_items.Remove(host, out var old))
            {
                _order.Remove(old);
            }

            var node = _order.AddFirst(new Item(host, context, notAfter, now));
            _items[host] = node;
            while (_items.Count > capacity && _order.Last is { } last)
            {
                _order.RemoveLast();
                _items.Remove(last.Value.Host);
            }
        }
    }

    private sealed record Item(string Host, SslStreamCertificateContext Context, DateTimeOffset NotAfter, DateTimeOffset Minted);
}
