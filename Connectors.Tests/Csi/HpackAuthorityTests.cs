using System.Text;
using Connectors.Modules.Csi;

namespace Connectors.Tests.Csi;

[TestFixture]
public sealed class HpackAuthorityTests
{
    private const string SocketPath = "/var/lib/kubelet/plugins/connectors-csi/csi.sock";

    [Test]
    public void Rewrite_IncrementalLiteralWithStaticName_ReplacesOnlyTheAuthorityValue()
    {
        // :method POST (indexed 3), :authority <path> (literal, incremental indexing, name index 1), content-type (name index 31).
        byte[] block = [0x83, .. Literal(0x40, 1, SocketPath), .. Literal(0x40, 31, "application/grpc")];
        byte[] expected = [0x83, .. Literal(0x40, 1, "localhost"), .. Literal(0x40, 31, "application/grpc")];
        Assert.That(HpackAuthority.Rewrite(block), Is.EqualTo(expected));
    }

    [Test]
    public void Rewrite_NeverIndexedLiteralName_ReplacesTheValue()
    {
        byte[] block = [0x10, (byte)":authority".Length, .. Encoding.ASCII.GetBytes(":authority"), (byte)SocketPath.Length, .. Encoding.ASCII.GetBytes(SocketPath)];
        byte[] expected = [0x10, (byte)":authority".Length, .. Encoding.ASCII.GetBytes(":authority"), 9, .. Encoding.ASCII.GetBytes("localhost")];
        Assert.That(HpackAuthority.Rewrite(block), Is.EqualTo(expected));
    }

    [Test]
    public void Rewrite_HuffmanValueAsLongAsLocalhost_IsReplacedWithARawValue()
    {
        byte[] block = [0x41, 0x80 | 12, .. new byte[12]];
        byte[] expected = [0x41, 9, .. Encoding.ASCII.GetBytes("localhost")];
        Assert.That(HpackAuthority.Rewrite(block), Is.EqualTo(expected));
    }

    [Test]
    public void Rewrite_ShortValue_IsLeftSoTheDynamicTableNeverGrows()
    {
        byte[] block = [.. Literal(0x40, 1, "/a.sock")];
        Assert.That(HpackAuthority.Rewrite(block), Is.SameAs(block));
    }

    [Test]
    public void Rewrite_LongOtherHeaderAndSizeUpdate_PassThroughUnchanged()
    {
        var value = new string('v', 300);
        byte[] block = [0x3F, 0xE1, 0x1F, .. Literal(0x00, 0, "x-long", value), 0xBE];
        Assert.That(HpackAuthority.Rewrite(block), Is.SameAs(block));
    }

    [Test]
    public void Rewrite_TruncatedBlock_IsInvalidData() =>
        Assert.Throws<InvalidDataException>(() => HpackAuthority.Rewrite([0x41, 0x20, 0x2F]));

    /// <summary>A literal representation (RFC 7541 §6.2) with a 6- or 4-bit name index and raw strings.</summary>
    internal static byte[] Literal(byte pattern, int nameIndex, string value, string? valueOverride = null)
    {
        var bytes = new List<byte>();
        var prefix = pattern == 0x40 ? 6 : 4;
        bytes.AddRange(Integer(pattern, prefix, nameIndex));
        if (nameIndex == 0)
        {
            bytes.AddRange(Integer(0, 7, value.Length));
            bytes.AddRange(Encoding.ASCII.GetBytes(value));
            value = valueOverride!;
        }

        bytes.AddRange(Integer(0, 7, value.Length));
        bytes.AddRange(Encoding.ASCII.GetBytes(value));
        return [.. bytes];
    }

    private static List<byte> Integer(byte pattern, int prefixBits, int value)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            return [(byte)(pattern | value)];
        }

        var bytes = new List<byte> { (byte)(pattern | max) };
        value -= max;
        while (value >= 128)
        {
            bytes.Add((byte)((value & 0x7F) | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return bytes;
    }
}
