using System.Net.Sockets;
using Grpc.Net.Client;

namespace Connectors.Modules.Csi;

/// <summary>
/// A gRPC channel to a unix socket, as kubelet dials a CSI driver: HTTP/2 with prior knowledge and
/// <c>:authority: localhost</c> (the address is only a name; every connection opens the socket).
/// </summary>
internal static class CsiChannel
{
    public static GrpcChannel ForUnixSocket(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            UseProxy = false,
        };
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}
