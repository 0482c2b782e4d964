using Connectors.Modules.Proxy;

namespace Connectors.Tests.Proxy;

[TestFixture]
public sealed class TokenHashMemoTests
{
    [Test]
    public void HashOf_SameHeaderStringAgain_ReturnsTheRememberedHash()
    {
        var items = new Dictionary<object, object?>();
        var header = "Bearer " + new string('t', 700);

        var first = TokenHashMemo.HashOf(items, header.AsMemory(7));
        var second = TokenHashMemo.HashOf(items, header.AsMemory(7));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.EqualTo(AccessReviewer.Hash(new string('t', 700))));
            Assert.That(second, Is.SameAs(first), "the same slice of the same string is not hashed again");
        }
    }

    [Test]
    public void HashOf_OtherTokenOrEqualTextInAnotherString_IsHashedAfresh()
    {
        var items = new Dictionary<object, object?>();
        var header = "Bearer token-a";
        var first = TokenHashMemo.HashOf(items, header.AsMemory(7));

        var other = TokenHashMemo.HashOf(items, "Bearer token-b".AsMemory(7));
        var copy = TokenHashMemo.HashOf(items, new string(header.AsSpan()).AsMemory(7));
        var shorter = TokenHashMemo.HashOf(items, "Bearer token-b".AsMemory(7, 5));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(other, Is.EqualTo(AccessReviewer.Hash("token-b")));
            Assert.That(copy, Is.EqualTo(first).And.Not.SameAs(first));
            Assert.That(shorter, Is.EqualTo(AccessReviewer.Hash("token")));
        }
    }

    [Test]
    public void HashOf_BasicPasswordDecodedAgainFromTheSameHeaderString_ReturnsTheRememberedHash()
    {
        var items = new Dictionary<object, object?>();
        var token = new string('p', 700);
        var header = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("ci:" + token));
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary { ["Authorization"] = header };

        var decoded = ClientCredentials.ReadReverseTokenInPlace(headers, null, out var decodedFrom);
        var first = TokenHashMemo.HashOf(items, decoded, decodedFrom);
        var again = TokenHashMemo.HashOf(items, ClientCredentials.ReadReverseTokenInPlace(headers, null, out var decodedAgainFrom), decodedAgainFrom);
        var otherHeader = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("ci:other"));
        var other = TokenHashMemo.HashOf(items, "other".AsMemory(), otherHeader);
        var sameTextOtherString = TokenHashMemo.HashOf(items, decoded, new string(header.AsSpan()));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(decodedFrom, Is.SameAs(header));
            Assert.That(first, Is.EqualTo(AccessReviewer.Hash(token)));
            Assert.That(again, Is.SameAs(first), "decoded from the same header string: not hashed again");
            Assert.That(other, Is.EqualTo(AccessReviewer.Hash("other")));
            Assert.That(sameTextOtherString, Is.EqualTo(first).And.Not.SameAs(first), "another string is hashed afresh");
        }
    }

    [Test]
    public void HashOf_NoConnectionItems_HashesEveryTime()
    {
        var header = "Bearer abc";

        var first = TokenHashMemo.HashOf(null, header.AsMemory(7));
        var second = TokenHashMemo.HashOf(null, header.AsMemory(7));

        Assert.That(second, Is.EqualTo(AccessReviewer.Hash("abc")).And.Not.SameAs(first));
    }
}
