using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Connectors.Tests.Support;

/// <summary>
/// A loopback TCP forwarder placed in front of a server (TLS passes through untouched) that a test can break:
/// <see cref="Break"/> resets every open connection (a dropped watch stream), <see cref="Block"/> also refuses new
/// ones until <see cref="Unblock"/> (an unreachable API server). <see cref="Stall"/> keeps accepting connections and
/// reading from them but passes nothing on until <see cref="Resume"/>, as a server stopped with SIGSTOP looks.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, (TcpClient Client, TcpClient Upstream)> _open = new();
    private readonly Task _accepting;
    private int _next;
    private int _disposed;
    private int _refused;
    private volatile bool _blocked;
    private TaskCompletionSource _running = Running();

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

    /// <summary>Connections closed at once because the proxy was blocked.</summary>
    public int Refused => Volatile.Read(ref _refused);

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

    public void Unblock() => _blocked = false;

    /// <summary>Bytes are held, in both directions and on every connection, until <see cref="Resume"/>.</summary>
    public void Stall() => Interlocked.CompareExchange(ref _running, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), _running);

    /// <summary>Held bytes flow again.</summary>
    public void Resume() => Volatile.Read(ref _running).TrySetResult();

    /// <summary>Stops listening (new connections are refused) and resets every open one; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Resume();
        await _stop.CancelAsync();
        _listener.Stop();
        Break();
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
                Interlocked.Increment(ref _refused);
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
            // Client is null once the forwarding task has disposed the connection at the same moment.
            if (client.Client is { } socket)
            {
                socket.LingerState = new LingerOption(true, 0);
            }
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
            var up = PumpAsync(client.GetStream(), upstream.GetStream(), _stop.Token);
            var down = PumpAsync(upstream.GetStream(), client.GetStream(), _stop.Token);
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

    private static TaskCompletionSource Running()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        running.SetResult();
        return running;
    }

    private async Task PumpAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await Volatile.Read(ref _running).Task.WaitAsync(cancellationToken);
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }
}
