using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Connectors.Modules.Proxy;

/// <summary>
/// The last token hash of one client connection. Kestrel hands a keep-alive connection the same string instance for a
/// header whose bytes did not change since the previous request, so a client that sends the same token again is
/// recognised by reference and its SHA-256 is not computed again. Kept in the connection's items, it lives no longer
/// than the connection (and Kestrel's own reference to the header string). A Basic password is a new string each time
/// it is decoded: it is recognised by the <c>Authorization</c> string it was decoded from, which decodes to the same
/// password every time.
/// </summary>
internal sealed class TokenHashMemo
{
    private static readonly object ItemKey = new();

    private readonly string _source;
    private readonly int _start;
    private readonly int _length;

    private TokenHashMemo(string source, int start, int length, string hash)
    {
        _source = source;
        _start = start;
        _length = length;
        Hash = hash;
    }

    /// <summary>The token's hash (<see cref="AccessReviewer.Hash(ReadOnlySpan{char})"/>).</summary>
    public string Hash { get; }

    /// <summary>
    /// The hash of <paramref name="token"/> read in place from <paramref name="context"/>'s headers, memoised in the
    /// connection's items for HTTP/1.x only: its requests on a connection come one at a time, where HTTP/2 streams
    /// would share the (plain dictionary) items concurrently.
    /// </summary>
    public static string HashOfRequest(HttpContext context, ReadOnlyMemory<char> token, string? decodedFrom = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var items = HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol)
            ? context.Features.Get<IConnectionItemsFeature>()?.Items
            : null;
        return HashOf(items, token, decodedFrom);
    }

    /// <summary>
    /// The hash of <paramref name="token"/>: the memo's when <paramref name="token"/> is the same slice of the same string
    /// as the previous request's on this connection, or was decoded from the same string (<paramref name="decodedFrom"/>,
    /// a Basic <c>Authorization</c> value), else computed (and remembered when the token is a slice of a string or decoded).
    /// </summary>
    public static string HashOf(IDictionary<object, object?>? connectionItems, ReadOnlyMemory<char> token, string? decodedFrom = null)
    {
        string? source = decodedFrom;
        int start = -1, length = -1;   // a decoded token is known by its source string alone
        var inString = decodedFrom is not null || MemoryMarshal.TryGetString(token, out source, out start, out length);
        if (connectionItems is null || !inString)
        {
            return AccessReviewer.Hash(token.Span);
        }

        if (connectionItems.TryGetValue(ItemKey, out var item) && item is TokenHashMemo memo
            && ReferenceEquals(memo._source, source) && memo._start == start && memo._length == length)
        {
            return memo.Hash;
        }

        var hash = AccessReviewer.Hash(token.Span);
        connectionItems[ItemKey] = new TokenHashMemo(source!, start, length, hash);
        return hash;
    }
}
