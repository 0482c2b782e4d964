using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;

namespace Connectors.Modules.Csi;

/// <summary>
/// gRPC over HTTP/2 wire details (grpc/doc/PROTOCOL-HTTP2.md): each message is a 5-byte prefix (a compressed
/// flag, then the length as big-endian uint32) followed by the protobuf bytes; <c>grpc-message</c> is
/// percent-encoded.
/// </summary>
internal static class GrpcFraming
{
    public const int PrefixLength = 5;
    public const string ContentType = "application/grpc";

    /// <summary>Writes one uncompressed length-prefixed message.</summary>
    public static void WriteMessage(IBufferWriter<byte> writer, ReadOnlySpan<byte> message)
    {
        var span = writer.GetSpan(PrefixLength + message.Length);
        span[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)message.Length);
        message.CopyTo(span[PrefixLength..]);
        writer.Advance(PrefixLength + message.Length);
    }

    /// <summary>
    /// Reads exactly one message from a unary call's body. A missing, compressed, truncated, oversized or
    /// repeated message is an error status, never a partial parse.
    /// </summary>
    public static async Task<byte[]> ReadSingleMessageAsync(PipeReader reader, int maxMessageBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length >= PrefixLength)
            {
                var length = ReadPrefix(buffer, maxMessageBytes);
                if (buffer.Length >= PrefixLength + length)
                {
                    var message = buffer.Slice(PrefixLength, length).ToArray();
                    var rest = buffer.Slice(PrefixLength + length);
                    var extra = !rest.IsEmpty;
                    reader.AdvanceTo(rest.Start, rest.End);
                    if (extra || !await AtEndAsync(reader, cancellationToken))
                    {
                        throw new RpcException(GrpcStatusCode.Unimplemented, "more than one request message in a unary call");
                    }

                    return message;
                }
            }

            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.End);
                throw new RpcException(GrpcStatusCode.Internal, buffer.IsEmpty
                    ? "the request has no message"
                    : "the request message is truncated");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Percent-encodes a status message as <c>grpc-message</c> wants: bytes outside 0x20..0x7E and '%'.</summary>
    public static string EncodeMessage(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        var builder = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>Reverses <see cref="EncodeMessage"/>; malformed escapes are kept as written, like grpc-go.</summary>
    public static string DecodeMessage(string encoded)
    {
        if (!encoded.Contains('%', StringComparison.Ordinal))
        {
            return encoded;
        }

        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '%' && i + 2 < encoded.Length
                && byte.TryParse(encoded.AsSpan(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(encoded[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static int ReadPrefix(ReadOnlySequence<byte> buffer, int maxMessageBytes)
    {
        Span<byte> prefix = stackalloc byte[PrefixLength];
        buffer.Slice(0, PrefixLength).CopyTo(prefix);
        if (prefix[0] != 0)
        {
            throw new RpcException(GrpcStatusCode.Unimplemented, "compressed messages are not supported (grpc-encoding identity only)");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        if (length > (uint)maxMessageBytes)
        {
            throw new RpcException(GrpcStatusCode.ResourceExhausted, $"the request message has {length} bytes, more than the limit of {maxMessageBytes}");
        }

        return (int)length;
    }

    private static async Task<bool> AtEndAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        var result = await reader.ReadAsync(cancellationToken);
        var empty = result.Buffer.IsEmpty;
        reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        return empty && result.IsCompleted;
    }
}
