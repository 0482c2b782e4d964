using System.Buffers;
using System.IO.Pipelines;
using Connectors.Modules.Csi;
using Microsoft.Extensions.Primitives;

namespace Connectors.Tests.Csi;

[TestFixture]
public sealed class GrpcFramingTests
{
    [Test]
    public void WriteMessage_Payload_PrefixesFlagAndBigEndianLength()
    {
        var writer = new ArrayBufferWriter<byte>();
        GrpcFraming.WriteMessage(writer, [1, 2, 3]);
        Assert.That(writer.WrittenSpan.ToArray(), Is.EqualTo(new byte[] { 0, 0, 0, 0, 3, 1, 2, 3 }));
    }

    [Test, CancelAfter(5_000)]
    public async Task ReadSingleMessageAsync_SplitAcrossWrites_ReturnsMessage(CancellationToken cancellationToken)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0 }, cancellationToken);
        var read = GrpcFraming.ReadSingleMessageAsync(pipe.Reader, 1024, cancellationToken);
        await pipe.Writer.WriteAsync(new byte[] { 0, 2, 7 }, cancellationToken);
        await pipe.Writer.WriteAsync(new byte[] { 9 }, cancellationToken);
        await pipe.Writer.CompleteAsync();
        Assert.That(await read, Is.EqualTo(new byte[] { 7, 9 }));
    }

    [TestCase(new byte[] { }, GrpcStatusCode.Internal, "no message")]
    [TestCase(new byte[] { 0, 0, 0, 0, 4, 1 }, GrpcStatusCode.Internal, "truncated")]
    [TestCase(new byte[] { 1, 0, 0, 0, 1, 1 }, GrpcStatusCode.Unimplemented, "compressed")]
    [TestCase(new byte[] { 0, 0, 0, 4, 1, 1 }, GrpcStatusCode.ResourceExhausted, "1025 bytes")]
    [TestCase(new byte[] { 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0 }, GrpcStatusCode.Unimplemented, "more than one")]
    public async Task ReadSingleMessageAsync_BadBody_FailsWithStatus(byte[] body, GrpcStatusCode status, string reason)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(body);
        await pipe.Writer.CompleteAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => GrpcFraming.ReadSingleMessageAsync(pipe.Reader, 1024, CancellationToken.None));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Status, Is.EqualTo(status));
            Assert.That(error.Message, Does.Contain(reason));
        }
    }

    [TestCase("plain text", "plain text")]
    [TestCase("100% done", "100%25 done")]
    [TestCase("line\nbreak", "line%0Abreak")]
    [TestCase("café", "caf%C3%A9")]
    public void EncodeMessage_Text_PercentEncodesAsGrpcSpecifies(string text, string encoded)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(GrpcFraming.EncodeMessage(text), Is.EqualTo(encoded));
            Assert.That(GrpcFraming.DecodeMessage(encoded), Is.EqualTo(text));
        }
    }

    [TestCase("100m", 100)]
    [TestCase("5S", 5000)]
    [TestCase("2M", 120_000)]
    [TestCase("1H", 3_600_000)]
    [TestCase("3000000u", 3000)]
    public void ReadTimeout_Header_ParsesUnit(string header, int milliseconds) =>
        Assert.That(GrpcDispatcher.ReadTimeout(new StringValues(header)), Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));

    [TestCase("")]
    [TestCase("10")]
    [TestCase("123456789S")]
    [TestCase("5x")]
    public void ReadTimeout_BadHeader_IsIgnored(string header) =>
        Assert.That(GrpcDispatcher.ReadTimeout(new StringValues(header)), Is.Null);
}
