using System.Buffers;
using System.Globalization;
using System.Text;

namespace Connectors.Modules.Proxy;

/// <summary>The head of a <c>CONNECT host:port HTTP/1.1</c> request, as read at the connection layer.</summary>
internal sealed record ConnectHead(string Host, int Port, string? ProxyAuthorization)
{
    /// <summary>Most bytes a CONNECT head may take.</summary>
    public const int MaxLength = 16 * 1024;

    private static ReadOnlySpan<byte> Prefix => "CONNECT "u8;

    private static ReadOnlySpan<byte> End => "\r\n\r\n"u8;

    /// <summary>Whether the bytes so far can still be, or are, a CONNECT request (null = too few bytes to say).</summary>
    public static bool? LooksLikeConnect(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> start = stackalloc byte[8];
        var length = (int)Math.Min(buffer.Length, 8);
        buffer.Slice(0, length).CopyTo(start);
        if (!Prefix[..length].SequenceEqual(start[..length]))
        {
            return false;
        }

        return length == 8 ? true : null;
    }

    /// <summary>Finds the end of the head; returns the position after it, or null when more bytes are needed.</summary>
    public static SequencePosition? FindEnd(in ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, End, advancePastDelimiter: true) ? reader.Position : null;
    }

    /// <summary>Parses the head bytes; null with a reason when it is malformed.</summary>
    public static (ConnectHead? Head, string? Error) Parse(in ReadOnlySequence<byte> head)
    {
        var text = Encoding.Latin1.GetString(head);
        var lines = text.Split("\r\n", StringSplitOptions.None);
        var parts = lines[0].Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return (null, "malformed CONNECT request line");
        }

        var (host, port) = SplitAuthority(parts[1]);
        if (host is null)
        {
            return (null, $"CONNECT target \"{parts[1]}\" is not host:port");
        }

        string? proxyAuthorization = null;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
            {
                proxyAuthorization = line[(colon + 1)..].Trim();
            }
        }

        return (new ConnectHead(host, port, proxyAuthorization), null);
    }

    private static (string? Host, int Port) SplitAuthority(string authority)
    {
        var colon = authority.LastIndexOf(':');
        var bracket = authority.LastIndexOf(']');
        if (colon <= 0 || colon < bracket
            || !int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return (null, 0);
        }

        var host = authority[..colon].Trim('[', ']');
        return Uri.CheckHostName(host) == UriHostNameType.Unknown ? (null, 0) : (host, port);
    }
}
