using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;

namespace Connectors.Modules.Proxy;

/// <summary>
/// A CONNECT tunnel without interception (only with <c>--proxy-allow-blind-tunnels</c>, for targets that match no
/// Connector): bytes are copied both ways and no credential is ever added.
/// </summary>
internal static class BlindTunnel
{
    public static async Task RunAsync(ConnectionContext connection, ConnectHead head, TimeSpan connectTimeout, byte[] established, CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connect.CancelAfter(connectTimeout);
            await socket.ConnectAsync(head.Host, head.Port, connect.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            await connection.Transport.Output.WriteAsync(ProxyResponses.Raw(StatusCodes.Status502BadGateway, $"cannot reach {head.Host}:{head.Port}: {e.Message}"), cancellationToken);
            return;
        }

        await connection.Transport.Output.WriteAsync(established, cancellationToken);
        await using var upstream = new NetworkStream(socket, ownsSocket: false);
        await using var client = new DuplexPipeStream(connection.Transport);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = CopyAsync(client, upstream, stop.Token);
        var down = CopyAsync(upstream, client, stop.Token);
        await Task.WhenAny(up, down);
        await stop.CancelAsync();
        await Task.WhenAll(up, down);
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, 16 * 1024, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // One side ended the tunnel.
        }
    }
}
