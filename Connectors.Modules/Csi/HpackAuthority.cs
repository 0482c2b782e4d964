using System.Buffers;
using System.Text;

namespace Connectors.Modules.Csi;

/// <summary>
/// Rewrites the <c>:authority</c> of one HPACK header block (RFC 7541) to <c>localhost</c>, leaving every other
/// representation byte for byte. Older grpc-go clients dialling a unix socket send the socket path there, which
/// Kestrel rejects as a host; on a unix socket the authority carries no meaning. Only literal representations
/// whose name is the static <c>:authority</c> entry (index 1) or the literal name are rewritten, and only when the
/// encoded value is at least as long as <c>localhost</c>, so the decoder's dynamic table never holds a larger entry
/// than the client's (its evictions then never run ahead of the client's, RFC 7541 §4.4).
/// </summary>
internal static class HpackAuthority
{
    private static readonly byte[] Localhost = Encoding.ASCII.GetBytes("localhost");
    private static readonly byte[] AuthorityName = Encoding.ASCII.GetBytes(":authority");

    /// <summary>The block with <c>:authority</c> rewritten; the same array when nothing changed.</summary>
    /// <exception cref="InvalidDataException">The block is not valid HPACK.</exception>
    public static byte[] Rewrite(byte[] block)
    {
        var output = new ArrayBufferWriter<byte>(block.Length + 16);
        var changed = false;
        var i = 0;
        while (i < block.Length)
        {
            var start = i;
            var first = block[i];
            if ((first & 0x80) != 0)
            {
                ReadInteger(block, ref i, 7);                       // indexed field
            }
            else if ((first & 0xE0) == 0x20)
            {
                ReadInteger(block, ref i, 5);                       // dynamic table size update
            }
            else
            {
                var prefix = (first & 0xC0) == 0x40 ? 6 : 4;        // literal with / without / never indexing
                var nameIndex = ReadInteger(block, ref i, prefix);
                var isAuthority = nameIndex == 1;
                if (nameIndex == 0)
                {
                    var (nameStart, nameLength, huffman) = ReadString(block, ref i);
                    isAuthority = !huffman && block.AsSpan(nameStart, nameLength).SequenceEqual(AuthorityName);
                }

                var valueHeader = i;
                var (_, valueLength, _) = ReadString(block, ref i);
                if (isAuthority && valueLength >= Localhost.Length)
                {
                    output.Write(block.AsSpan(start, valueHeader - start));
                    output.Write([(byte)Localhost.Length]);
                    output.Write(Localhost);
                    changed = true;
                    continue;
                }
            }

            output.Write(block.AsSpan(start, i - start));
        }

        return changed ? output.WrittenSpan.ToArray() : block;
    }

    private static int ReadInteger(byte[] block, ref int i, int prefixBits)
    {
        var max = (1 << prefixBits) - 1;
        var value = block[i++] & max;
        if (value < max)
        {
            return value;
        }

        for (var shift = 0; shift <= 21; shift += 7)
        {
            if (i >= block.Length)
            {
                throw new InvalidDataException("truncated HPACK integer");
            }

            var b = block[i++];
            value += (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("HPACK integer too large");
    }

    private static (int Start, int Length, bool Huffman) ReadString(byte[] block, ref int i)
    {
        if (i >= block.Length)
        {
            throw new InvalidDataException("truncated HPACK string");
        }

        var huffman = (block[i] & 0x80) != 0;
        var length = ReadInteger(block, ref i, 7);
        if (length > block.Length - i)
        {
            throw new InvalidDataException("truncated HPACK string");
        }

        var start = i;
        i += length;
        return (start, length, huffman);
    }
}
