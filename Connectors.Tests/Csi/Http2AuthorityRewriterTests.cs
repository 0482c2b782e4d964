using System.IO.Pipelines;
using System.Text;
using Connectors.Modules.Csi;

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
