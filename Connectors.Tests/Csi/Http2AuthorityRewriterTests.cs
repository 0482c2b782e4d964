using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Connectors.Modules.Csi;
using Connectors.Modules.Csi.V1;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Connections;

namespace Connectors.Tests.Csi;

[TestFixture]
public sealed class Http2AuthorityRewriterTests
{
    private static readonly byte[] Preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

    [Test, CancelAfter(10_000)]
    public async Task PumpAsync_PaddedHeadersWithContinuation_JoinsRewritesAndKeepsOtherFrames(CancellationToken cancellationToken)
    {
        byte[] block = [0x83, .. HpackAuthorityTests.Literal(0x40, 1, "/run/csi/socket.sock"), 0x86];
        var settings = Frame(0x4, 0, 0, []);
        // HEADERS: PADDED (2 bytes of padding), END_STREAM, no END_HEADERS; the block continues in a CONTINUATION.
        var headers = Frame(0x1, 0x8 | 0x1, 1, [2, .. block[..5], 0, 0]);
        var continuation = Frame(0x9, 0x4, 1, block[5..]);
        var data = Frame(0x0, 0x1, 1, [0, 0, 0, 0, 0]);
        var output = await PumpAsync([.. Preface, .. settings, .. headers, .. continuation, .. data], cancellationToken);

        byte[] rewritten = [0x83, .. HpackAuthorityTests.Literal(0x40, 1, "localhost"), 0x86];
        byte[] expected = [.. Preface, .. settings, .. Frame(0x1, 0x1 | 0x4, 1, rewritten), .. data];
        Assert.That(output, Is.EqualTo(expected));
    }

    [Test, CancelAfter(10_000)]
    public async Task PumpAsync_NotHttp2_PassesBytesThrough(CancellationToken cancellationToken)
    {
        var request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: /tmp/x.sock\r\n\r\n");
        Assert.That(await PumpAsync(request, cancellationToken), Is.EqualTo(request));
    }

    [Test, CancelAfter(10_000)]
    public async Task PumpAsync_HeaderBlockAtTheLimits_PassesThrough(CancellationToken cancellationToken)
    {
        // 32 KiB of indexed fields (0x82, :method GET) in a HEADERS and one CONTINUATION; then a block of 1-byte
        // fragments in a HEADERS and 32 CONTINUATION frames.
        var block = Enumerable.Repeat((byte)0x82, Http2AuthorityRewriter.MaxHeaderBlockBytes).ToArray();
        var half = Http2AuthorityRewriter.MaxFramePayload;
        var large = Concat(Frame(0x1, 0x1, 1, block[..half]), Frame(0x9, 0x4, 1, block[half..]));
        var small = Concat([Frame(0x1, 0x1, 3, [0x82]), .. Enumerable.Range(0, 32).Select(i => Frame(0x9, (byte)(i == 31 ? 0x4 : 0), 3, [0x82]))]);

        var output = await PumpAsync([.. Preface, .. large, .. small], cancellationToken);

        byte[] smallBlock = [.. Enumerable.Repeat((byte)0x82, 33)];
        Assert.That(output, Is.EqualTo(Concat(Preface, large, Frame(0x1, 0x1 | 0x4, 3, smallBlock))));
    }

    [TestCase(0, Http2AuthorityRewriter.MaxHeaderBlockBytes + 1, 16_384, "a header block of more than 32768 bytes")]
    [TestCase(33, 0, 0, "a header block of more than 32 CONTINUATION frames")]
    public async Task PumpAsync_HeaderBlockOverALimit_ClosesWithoutReadingFurther(int emptyContinuations, int blockBytes, int lastPayload, string reason)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var fragments = new List<byte[]> { Frame(0x1, 0, 1, [0x82]) };
        fragments.AddRange(Enumerable.Range(0, emptyContinuations).Select(_ => Frame(0x9, 0, 1, [])));
        for (var left = blockBytes - 1; left > 0; left -= Http2AuthorityRewriter.MaxFramePayload)
        {
            fragments.Add(Frame(0x9, 0, 1, new byte[Math.Min(left, Http2AuthorityRewriter.MaxFramePayload)]));
        }

        // The flood goes on (1 MiB more) and the socket stays open: the rewriter must stop at the limit by itself.
        var head = Concat([.. Preface, .. Frame(0x4, 0, 0, [])]);
        var block = Concat([.. fragments]);
        var flood = Concat([.. Enumerable.Range(0, 64).Select(_ => Frame(0x9, 0, 1, new byte[Http2AuthorityRewriter.MaxFramePayload]))]);
        var (unread, rewriter) = await PumpOpenAsync(Concat(head, block, flood), timeout.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rewriter.Violation, Is.EqualTo(reason));
            Assert.That(unread, Is.EqualTo(lastPayload + flood.Length), "not a byte after the offending frame's header is read");
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task PumpAsync_OtherFrameInsideHeaderBlock_Closes(CancellationToken cancellationToken)
    {
        var ping = Frame(0x6, 0, 0, new byte[8]);
        var (unread, rewriter) = await PumpOpenAsync(Concat(Preface, Frame(0x1, 0, 1, [0x82]), ping), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rewriter.Violation, Does.StartWith("a frame of type 6 inside a header block"));
            Assert.That(unread, Is.EqualTo(8));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task PumpAsync_FrameOverMaxFrameSize_ClosesWithoutReadingIt(CancellationToken cancellationToken)
    {
        byte[] header = [0x10, 0, 0, 0x0, 0, 0, 0, 0, 1];   // DATA, 1 MiB announced
        var (unread, rewriter) = await PumpOpenAsync(Concat(Preface, header, new byte[100_000]), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rewriter.Violation, Is.EqualTo("a frame of 1048576 bytes, more than SETTINGS_MAX_FRAME_SIZE 16384 (FRAME_SIZE_ERROR)"));
            Assert.That(unread, Is.EqualTo(100_000));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Server_ContinuationFlood_ClosesConnectionAndKeepsServing(CancellationToken cancellationToken)
    {
        await using var driver = await CsiTestDriver.StartAsync(cancellationToken);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(driver.SocketPath), cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Concat(Preface, Frame(0x4, 0, 0, []), Frame(0x1, 0, 1, [0x82])), cancellationToken);

        // The finding sent 128 MiB; 16 MiB is plenty to tell a bounded server from one that buffers.
        const long Flood = 16L << 20;
        var continuation = Frame(0x9, 0, 1, new byte[Http2AuthorityRewriter.MaxFramePayload]);
        long sent = 0;
        IOException? refused = null;
        try
        {
            while (sent < Flood)
            {
                await stream.WriteAsync(continuation, cancellationToken);
                sent += continuation.Length;
            }
        }
        catch (IOException e)
        {
            refused = e;
        }

        var answer = await ReadUntilClosedAsync(stream, cancellationToken);
        await TestContext.Out.WriteLineAsync($"the server took {sent} bytes of the flood, answered {answer} bytes and closed");
        var info = await driver.Identity.GetPluginInfoAsync(new GetPluginInfoRequest(), cancellationToken: cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused, Is.Not.Null, $"the server took the whole flood of {Flood} bytes");
            // Kestrel's transport reads up to 1 MiB ahead (MaxRequestBufferSize), plus the socket buffers.
            Assert.That(sent, Is.LessThan(4L << 20));
            Assert.That(answer, Is.LessThan(1024), "at most SETTINGS, its ACK and a GOAWAY before the close");
            Assert.That(info.Name, Is.EqualTo("connectors-csi"));
        }
    }

    /// <summary>Reads what the server sends until it closes or resets the connection; the byte count.</summary>
    private static async Task<int> ReadUntilClosedAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var total = 0;
        try
        {
            while (await stream.ReadAsync(buffer, cancellationToken) is > 0 and var read)
            {
                total += read;
            }
        }
        catch (IOException)
        {
            // A reset is a close too.
        }

        return total;
    }

    /// <summary>
    /// Pumps <paramref name="input"/> with the source left open, as a socket whose client keeps sending; the pump
    /// must end by itself, and Kestrel's side must read an aborted connection.
    /// </summary>
    /// <returns>How many bytes the rewriter left unread, and the rewriter.</returns>
    private static async Task<(long Unread, Http2AuthorityRewriter Rewriter)> PumpOpenAsync(byte[] input, CancellationToken cancellationToken)
    {
        var source = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        await source.Writer.WriteAsync(input, cancellationToken);
        var rewriter = new Http2AuthorityRewriter(source.Reader);
        await rewriter.PumpAsync().WaitAsync(cancellationToken);
        await Assert.ThatAsync(() => rewriter.Reader.CopyToAsync(Stream.Null, cancellationToken), Throws.TypeOf<ConnectionAbortedException>());
        var unread = source.Reader.TryRead(out var rest) ? rest.Buffer.Length : 0;
        return (unread, rewriter);
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static async Task<byte[]> PumpAsync(byte[] input, CancellationToken cancellationToken)
    {
        var source = new Pipe();
        await source.Writer.WriteAsync(input, cancellationToken);
        await source.Writer.CompleteAsync();
        var rewriter = new Http2AuthorityRewriter(source.Reader);
        await rewriter.PumpAsync();
        using var result = new MemoryStream();
        await rewriter.Reader.CopyToAsync(result, cancellationToken);
        return result.ToArray();
    }

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload) =>
        [(byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length, type, flags, 0, 0, 0, (byte)stream, .. payload];
}
