using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Csi;

/// <summary>
/// A Kestrel connection middleware for the CSI socket: it reads the client's HTTP/2 frames (RFC 9113 §4) and
/// passes them on unchanged, except header blocks, which are joined (HEADERS + CONTINUATION, padding dropped)
/// and get their <c>:authority</c> rewritten by <see cref="HpackAuthority"/>. Older grpc-go clients (kubelet before
/// 1.26) send the socket path as <c>:authority</c>, which Kestrel would reset with PROTOCOL_ERROR. A connection
/// that does not start with the HTTP/2 preface is passed through untouched.
/// <para>
/// Nothing is buffered without bound: a frame larger than <see cref="MaxFramePayload"/> (the SETTINGS_MAX_FRAME_SIZE
/// Kestrel announces), a header block (HEADERS and its CONTINUATION frames) larger than
/// <see cref="MaxHeaderBlockBytes"/> or with more than <see cref="MaxContinuationFrames"/> CONTINUATION frames, and any
/// other frame in the middle of a header block (RFC 9113 §6.10) close the connection before more is read.
/// </para>
/// </summary>
internal sealed partial class Http2AuthorityRewriter(PipeReader source)
{
    /// <summary>SETTINGS_MAX_FRAME_SIZE default (RFC 9113 §6.5.2), which Kestrel announces: a peer may not send more.</summary>
    public const int MaxFramePayload = 16_384;

    /// <summary>
    /// Largest header block, in bytes of HEADERS and CONTINUATION payload: 32 KiB, Kestrel's default
    /// MaxRequestHeadersTotalSize. A CSI call's headers are a few hundred bytes.
    /// </summary>
    public const int MaxHeaderBlockBytes = 32 * 1024;

    /// <summary>Most CONTINUATION frames after one HEADERS frame; clients split a block only when it outgrows a frame.</summary>
    public const int MaxContinuationFrames = 32;

    private const int FrameHeaderLength = 9;
    private const byte Headers = 0x1;
    private const byte Continuation = 0x9;
    private const byte EndStream = 0x1;
    private const byte EndHeaders = 0x4;
    private const byte Padded = 0x8;
    private const byte Priority = 0x20;

    private readonly Pipe _pipe = new();

    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>What Kestrel reads instead of the socket.</summary>
    public PipeReader Reader => _pipe.Reader;

    /// <summary>Why the connection was closed, when the client broke a limit or the framing rules; null otherwise.</summary>
    public string? Violation { get; private set; }

    public static async Task RunConnectionAsync(ConnectionContext context, ConnectionDelegate next, ILogger logger)
    {
        var original = context.Transport;
        var rewriter = new Http2AuthorityRewriter(original.Input);
        var pump = PumpAndAbortAsync(rewriter, context, logger);
        context.Transport = new DuplexPipe(rewriter.Reader, original.Output);
        try
        {
            await next(context);
        }
        finally
        {
            original.Input.CancelPendingRead();
            await pump;
            context.Transport = original;
        }
    }

    /// <summary>Copies frames from the socket to <see cref="Reader"/> until either side ends or the client breaks a limit.</summary>
    public async Task PumpAsync()
    {
        Exception? error = null;
        try
        {
            var preface = await ReadAsync(Preface.Length);
            if (preface is null || !preface.AsSpan().SequenceEqual(Preface))
            {
                await PassThroughAsync(preface);
                return;
            }

            await _pipe.Writer.WriteAsync(preface);
            await CopyFramesAsync();
        }
        catch (Http2LimitException e)
        {
            Violation = e.Message;
            error = new ConnectionAbortedException(e.Message);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ConnectionResetException)
        {
            error = e;
        }
        finally
        {
            await _pipe.Writer.CompleteAsync(error);
        }
    }

    private async Task CopyFramesAsync()
    {
        byte[]? pendingHeader = null;
        var pendingBlock = new ArrayBufferWriter<byte>();
        int blockBytes = 0, continuations = 0;
        while (await ReadAsync(FrameHeaderLength) is { } header)
        {
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var type = header[3];
            CheckFrame(header, length, pendingHeader, ref blockBytes, ref continuations);
            var payload = length == 0 ? [] : await ReadAsync(length) ?? throw new InvalidDataException("truncated HTTP/2 frame");
            if (type == Headers || (type == Continuation && pendingHeader is not null))
            {
                var fragment = payload;
                if (type == Headers)
                {
                    fragment = HeaderFragment(header[4], payload, out var priority);
                    pendingHeader = header;
                    pendingBlock.ResetWrittenCount();
                    pendingBlock.Write(priority);
                }

                pendingBlock.Write(fragment);
                if ((header[4] & EndHeaders) != 0)
                {
                    WriteHeaderBlock(pendingHeader!, pendingBlock.WrittenSpan);
                    pendingHeader = null;
                }
            }
            else
            {
                _pipe.Writer.Write(header);
                _pipe.Writer.Write(payload);
            }

            if ((await _pipe.Writer.FlushAsync()).IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Checks a frame header before its payload is read: the frame size, and inside a header block (after a HEADERS
    /// without END_HEADERS) that only CONTINUATION frames of the same stream follow, within the block limits.
    /// </summary>
    /// <exception cref="Http2LimitException">The connection is to be closed.</exception>
    private static void CheckFrame(byte[] header, int length, byte[]? pendingHeader, ref int blockBytes, ref int continuations)
    {
        if (length > MaxFramePayload)
        {
            throw new Http2LimitException($"a frame of {length} bytes, more than SETTINGS_MAX_FRAME_SIZE {MaxFramePayload} (FRAME_SIZE_ERROR)");
        }

        var type = header[3];
        if (pendingHeader is null)
        {
            (blockBytes, continuations) = type == Headers ? (length, 0) : (0, 0);
            return;
        }

        if (type != Continuation || !header.AsSpan(5, 4).SequenceEqual(pendingHeader.AsSpan(5, 4)))
        {
            throw new Http2LimitException($"a frame of type {type} inside a header block, where only CONTINUATION frames of its stream may come (PROTOCOL_ERROR, RFC 9113 §6.10)");
        }

        blockBytes += length;
        if (++continuations > MaxContinuationFrames)
        {
            throw new Http2LimitException($"a header block of more than {MaxContinuationFrames} CONTINUATION frames");
        }

        if (blockBytes > MaxHeaderBlockBytes)
        {
            throw new Http2LimitException($"a header block of more than {MaxHeaderBlockBytes} bytes");
        }
    }

    /// <summary>The header block fragment of a HEADERS payload, without padding; <paramref name="priority"/> gets the 5 priority bytes, if any.</summary>
    private static byte[] HeaderFragment(byte flags, byte[] payload, out byte[] priority)
    {
        var start = 0;
        var end = payload.Length;
        if ((flags & Padded) != 0)
        {
            end -= payload.Length > 0 ? payload[0] : throw new InvalidDataException("empty padded HEADERS frame");
            start = 1;
        }

        var priorityLength = (flags & Priority) != 0 ? 5 : 0;
        if (end < start + priorityLength)
        {
            throw new InvalidDataException("HEADERS padding or priority longer than the frame");
        }

        priority = payload[start..(start + priorityLength)];
        return payload[(start + priorityLength)..end];
    }

    /// <summary>Writes one rewritten block as HEADERS (+ CONTINUATION frames when it outgrows one frame).</summary>
    private void WriteHeaderBlock(byte[] header, ReadOnlySpan<byte> priorityAndBlock)
    {
        var priorityLength = (header[4] & Priority) != 0 ? 5 : 0;
        var block = HpackAuthority.Rewrite(priorityAndBlock[priorityLength..].ToArray());
        var payload = new byte[priorityLength + block.Length];
        priorityAndBlock[..priorityLength].CopyTo(payload);
        block.CopyTo(payload, priorityLength);
        var flags = (byte)(header[4] & (EndStream | Priority));
        var streamId = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5));
        Span<byte> frame = stackalloc byte[FrameHeaderLength];
        for (var offset = 0; ; offset += MaxFramePayload)
        {
            var size = Math.Min(MaxFramePayload, payload.Length - offset);
            var last = offset + size >= payload.Length;
            var type = offset == 0 ? Headers : Continuation;
            var frameFlags = (byte)((offset == 0 ? flags : 0) | (last ? EndHeaders : 0));
            frame[0] = (byte)(size >> 16);
            frame[1] = (byte)(size >> 8);
            frame[2] = (byte)size;
            frame[3] = type;
            frame[4] = frameFlags;
            BinaryPrimitives.WriteUInt32BigEndian(frame[5..], streamId);
            _pipe.Writer.Write(frame);
            _pipe.Writer.Write(payload.AsSpan(offset, size));
            if (last)
            {
                return;
            }
        }
    }

    private async Task PassThroughAsync(byte[]? start)
    {
        if (start is not null)
        {
            await _pipe.Writer.WriteAsync(start);
        }

        while (true)
        {
            var result = await source.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                _pipe.Writer.Write(segment.Span);
            }

            source.AdvanceTo(result.Buffer.End);
            if (result.IsCanceled || result.IsCompleted || (await _pipe.Writer.FlushAsync()).IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes; null when the socket ended (or the read was cancelled) first.</summary>
    private async Task<byte[]?> ReadAsync(int count)
    {
        while (true)
        {
            var result = await source.ReadAsync();
            var buffer = result.Buffer;
            if (buffer.Length >= count)
            {
                var bytes = buffer.Slice(0, count).ToArray();
                source.AdvanceTo(buffer.GetPosition(count));
                return bytes;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                var rest = buffer.IsEmpty ? null : buffer.ToArray();
                source.AdvanceTo(buffer.End);
                return rest is null || count == Preface.Length ? rest : throw new InvalidDataException("the connection ended inside an HTTP/2 frame");
            }

            source.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Runs the pump; when the client broke a limit, closes the connection at once (Kestrel would read no further anyway).</summary>
    private static async Task PumpAndAbortAsync(Http2AuthorityRewriter rewriter, ConnectionContext context, ILogger logger)
    {
        await rewriter.PumpAsync();
        if (rewriter.Violation is { } reason)
        {
            Log.Closed(logger, context.ConnectionId, reason);
            context.Abort(new ConnectionAbortedException("HTTP/2 limit: " + reason));
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>A client broke a limit or the framing rules: the connection is closed.</summary>
    private sealed class Http2LimitException(string message) : Exception(message);

    private static partial class Log
    {
        [LoggerMessage(7012, LogLevel.Warning, "Closed CSI connection {ConnectionId}: the client sent {Reason}")]
        public static partial void Closed(ILogger logger, string connectionId, string reason);
    }
}
