using System.Net;
using Connectors.Modules.Proxy;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Proxy;

[TestFixture]
public sealed class ForwarderTests
{
    [Test, CancelAfter(10_000)]
    public async Task SendAsync_SmallBodyWithLength_OneSmallReadAndNoneAfterTheLastByte(CancellationToken cancellationToken)
    {
        var source = new RecordingStream(3);
        using var invoker = new HttpMessageInvoker(new AnswerHandler(source, declaredLength: 3));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://tool.example/x");
        var context = new DefaultHttpContext();
        using var sink = new MemoryStream();
        context.Response.Body = sink;

        var result = await Forwarder.SendAsync(invoker, request, null, context, null, cancellationToken);
        await context.Response.BodyWriter.FlushAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Status, Is.EqualTo(200));
            Assert.That(sink.ToArray(), Has.Length.EqualTo(3));
            Assert.That(source.Offered, Has.Count.EqualTo(1));
            Assert.That(source.Offered[0], Is.LessThanOrEqualTo(4096));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task SendAsync_LargeBodyWithoutLength_ReadsGrowPastTheFirstBlock(CancellationToken cancellationToken)
    {
        var source = new RecordingStream(1024 * 1024);
        using var invoker = new HttpMessageInvoker(new AnswerHandler(source, declaredLength: null));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://tool.example/x");
        var context = new DefaultHttpContext();
        using var sink = new MemoryStream();
        context.Response.Body = sink;

        await Forwarder.SendAsync(invoker, request, null, context, null, cancellationToken);
        await context.Response.BodyWriter.FlushAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.Length, Is.EqualTo(1024 * 1024));
            Assert.That(source.Offered[0], Is.LessThanOrEqualTo(4096));
            Assert.That(source.Offered.Max(), Is.GreaterThanOrEqualTo(64 * 1024));
        }
    }

    private sealed class AnswerHandler(Stream body, long? declaredLength) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(body);
            content.Headers.ContentLength = declaredLength;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }

    /// <summary>A body of <paramref name="length"/> bytes that records the size of every buffer a reader offers it.</summary>
    private sealed class RecordingStream(long length) : Stream
    {
        private long _position;

        public List<int> Offered { get; } = [];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Offered.Add(buffer.Length);
            var count = (int)Math.Min(buffer.Length, length - _position);
            buffer.Span[..count].Fill((byte)'x');
            _position += count;
            return ValueTask.FromResult(count);
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
