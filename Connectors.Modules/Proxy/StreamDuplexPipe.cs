using System.IO.Pipelines;

namespace Connectors.Modules.Proxy;

/// <summary>Pipes over a stream (the decrypted side of a tunnel), handed to Kestrel as the connection's transport.</summary>
internal sealed class StreamDuplexPipe(Stream stream) : IDuplexPipe
{
    public PipeReader Input { get; } = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));

    public PipeWriter Output { get; } = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
}
