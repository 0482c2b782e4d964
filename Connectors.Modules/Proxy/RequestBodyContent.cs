using System.Buffers;
using System.Net;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Streams the client's request body upstream through one pooled buffer (bounded memory whatever the size),
/// counting the bytes. The body is read only when the upstream connection asks for it, so with
/// <c>Expect: 100-continue</c> the client is told to continue only when the upstream did.
/// </summary>
internal sealed class RequestBodyContent(Stream body, long? length) : HttpContent
{
    private const int BufferSize = 64 * 1024;

    public long BytesSent { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                BytesSent += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    /// <summary>The client's Content-Length, if it sent one (else the body goes chunked).</summary>
    public long? DeclaredLength => length;
}
