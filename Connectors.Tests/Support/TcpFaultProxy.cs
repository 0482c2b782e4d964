using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Connectors.Tests.Support;

/// <summary>
/// A loopback TCP forwarder placed in front of a server (TLS passes through untouched) that a test can break:
/// <see cref="Break"/> resets every open connection (a dropped watch stream), <see cref="Block"/> also refuses new
/// ones until <see cref="Unblock"/> (an unreachable API server), <see cref="Stall"/> accepts new ones and never answers
/// (an API server that hangs).
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, (TcpClient Client, TcpClient Upstream)> _open = new();
    private readonly Task _accepting;
    private readonly ConcurrentQueue<TcpClient> _held = new();
    private int _next;
    private int _disposed;
    private volatile bool _blocked;
    private volatile bool _stalled;

    private TcpFaultProxy(IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The proxy's <c>127.0.0.1:port</c>.</summary>
    public string Authority => "127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted and forwarded so far.</summary>
    public int Forwarded => _next;

    /// <summary>Forwards to <paramref name="target"/>'s host and port (which must be 127.0.0.1).</summary>
    public static TcpFaultProxy Start(Uri target) => new(new IPEndPoint(IPAddress.Parse(target.Host), target.Port));

    /// <summary>Resets every open connection.</summary>
    public void Break()
    {
        foreach (var (key, pair) in _open)
        {
            if (_open.TryRemove(key, out _))
            {
                Reset(pair.Client);
                pair.Upstream.Dispose();
            }
        }
    }

    /// <summary>Resets every open connection and closes new ones at once.</summary>
    public void Block()
    {
        _blocked = true;
        Break();
    }

    /// <summary>Resets every open connection and holds new ones open without forwarding or answering a byte.</summary>
    public void Stall()
    {
        _stalled = true;
        Break();
    }

    public void Unblock()
    {
        _blocked = false;
        _stalled = false;
        while (_held.TryDequeue(out var client))
        {
            client.Dispose();
        }
    }

    /// <summary>Stops listening (new connections are refused) and resets every open one; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Stop();
        Break();
        Unblock();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_blocked)
            {
                Reset(client);
                continue;
            }

            if (_stalled)
            {
                _held.Enqueue(client);
                continue;
            }

            _ = ForwardAsync(client);
        }
    }

    /// <summary>Closes with RST rather than FIN, as a crashed peer or a dropped route would look.</summary>
    private static void Reset(TcpClient client)
    {
        try
        {
            client.Client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed by the other side.
        }

        client.Dispose();
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        var id = Interlocked.Increment(ref _next);
        try
        {
            await upstream.ConnectAsync(_target, _stop.Token);
            _open[id] = (client, upstream);
            var up = client.GetStream().CopyToAsync(upstream.GetStream(), _stop.Token);
            var down = upstream.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ended or was broken on purpose.
        }
        finally
        {
            _open.TryRemove(id, out _);
            client.Dispose();
            upstream.Dispose();
        }
    }
}
