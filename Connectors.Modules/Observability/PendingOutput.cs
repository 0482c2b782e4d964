namespace Connectors.Modules.Observability;

/// <summary>
/// The bytes a <see cref="StderrSink"/> has formatted but not yet written: a growable array that
/// <see cref="Swap"/> hands over whole, so the output is written outside the sink's lock.
/// </summary>
internal sealed class PendingOutput : Stream
{
    private byte[] _bytes = new byte[64 * 1024];
    private int _length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    /// <summary>The size of the array the bytes are written into.</summary>
    public int Capacity => _bytes.Length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    /// <summary>Takes the bytes written so far (the first <paramref name="length"/> of the array returned) and goes on with <paramref name="empty"/>.</summary>
    public byte[] Swap(byte[] empty, out int length)
    {
        var taken = _bytes;
        length = _length;
        _bytes = empty;
        _length = 0;
        return taken;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_length + buffer.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + buffer.Length));
        }

        buffer.CopyTo(_bytes.AsSpan(_length));
        _length += buffer.Length;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
