using System.Net;
using System.Net.Sockets;

namespace Connectors.Tests.Support;

/// <summary>
/// A loopback port that refuses connections for as long as this lives: bound but never listening, so no other test
/// can take it (a port freed after a closed server can be reused by a parallel test, and a probe then reaches that
/// server instead of "connection refused").
/// </summary>
internal sealed class RefusingPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public RefusingPort() => _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public void Dispose() => _socket.Dispose();
}
