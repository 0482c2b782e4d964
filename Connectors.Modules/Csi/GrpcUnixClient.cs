using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Google.Protobuf;

namespace Connectors.Modules.Csi;

/// <summary>
/// A unary gRPC client over a unix socket, speaking as kubelet does: HTTP/2 with prior knowledge (h2c),
/// <c>:authority: localhost</c>, <c>content-type: application/grpc</c>, <c>te: trailers</c>, one length-prefixed
/// message; the status comes from the trailers (or from the headers of a trailers-only answer).
/// </summary>
public sealed class GrpcUnixClient : IDisposable
{
    private readonly HttpClient _http;

    public GrpcUnixClient(string socketPath, TimeSpan timeout)
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
        _http = new HttpClient(handler) { Timeout = timeout, BaseAddress = new Uri("http://localhost") };
    }

    /// <summary>Calls <paramref name="method"/> (<c>/package.Service/Method</c>).</summary>
    /// <exception cref="RpcException">The server answered a non-OK status, or the answer was not gRPC.</exception>
    public async Task<TResponse> CallAsync<TResponse>(string method, IMessage request, MessageParser<TResponse> parser, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parser);
        var body = new ArrayBufferWriter<byte>();
        GrpcFraming.WriteMessage(body, request.ToByteArray());
        using var message = new HttpRequestMessage(HttpMethod.Post, method)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ReadOnlyMemoryContent(body.WrittenMemory),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(GrpcFraming.ContentType);
        message.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RpcException(GrpcStatusCode.Internal, $"the server answered HTTP {(int)response.StatusCode}, not gRPC");
        }

        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var (status, text) = ReadStatus(response);
        if (status != GrpcStatusCode.OK)
        {
            throw new RpcException(status, text);
        }

        if (payload.Length < GrpcFraming.PrefixLength || payload[0] != 0
            || BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(1)) != payload.Length - GrpcFraming.PrefixLength)
        {
            throw new RpcException(GrpcStatusCode.Internal, "the answer is not one uncompressed gRPC message");
        }

        return parser.ParseFrom(payload.AsSpan(GrpcFraming.PrefixLength));
    }

    public void Dispose() => _http.Dispose();

    private static (GrpcStatusCode Status, string Message) ReadStatus(HttpResponseMessage response)
    {
        static string? Get(HttpHeaders headers, string name) => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
        var status = Get(response.TrailingHeaders, "grpc-status") ?? Get(response.Headers, "grpc-status");
        var text = Get(response.TrailingHeaders, "grpc-message") ?? Get(response.Headers, "grpc-message") ?? string.Empty;
        if (status is null || !int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return (GrpcStatusCode.Internal, "the answer has no grpc-status");
        }

        return ((GrpcStatusCode)code, GrpcFraming.DecodeMessage(text));
    }
}
