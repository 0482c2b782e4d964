using System.Text;
using Connectors.Modules.Proxy;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Proxy;

[TestFixture]
public sealed class ClientCredentialsTests
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [TestCase("Basic OnRvaw==", "tok", TestName = "ReadReverseToken_BasicEmptyUser_Password")]
    [TestCase("basic dXNlcjp0b2s=", "tok", TestName = "ReadReverseToken_BasicAnyUser_Password")]
    [TestCase("Bearer tok", "tok", TestName = "ReadReverseToken_Bearer_Token")]
    [TestCase("Basic dXNlcjo=", null, TestName = "ReadReverseToken_BasicEmptyPassword_None")]
    [TestCase("Basic !!!", null, TestName = "ReadReverseToken_BadBase64_None")]
    [TestCase("Digest x", null, TestName = "ReadReverseToken_OtherScheme_None")]
    public void ReadReverseToken_Authorization(string header, string? expected)
    {
        var headers = new HeaderDictionary { ["Authorization"] = header };

        Assert.That(ClientCredentials.ReadReverseToken(headers, null), Is.EqualTo(expected));
    }

    [Test]
    public void ReadReverseToken_ExtractorHeader_UsedWhenNoAuthorization()
    {
        var headers = new HeaderDictionary { ["private-token"] = " glpat-sa " };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ClientCredentials.ReadReverseToken(headers, ["Private-Token"]), Is.EqualTo("glpat-sa"));
            Assert.That(ClientCredentials.ReadReverseToken(headers, null), Is.Null);
        }
    }

    [TestCase("Bearer  eyJ.payload.sig ", "Authorization")]
    [TestCase(" glpat-sa ", "Private-Token")]
    public void ReadReverseTokenInPlace_BearerOrHeaderToken_IsASliceOfTheHeaderString(string value, string header)
    {
        var headers = new HeaderDictionary { [header] = value };

        var token = ClientCredentials.ReadReverseTokenInPlace(headers, ["Private-Token"]);

        // The ~1 KB ServiceAccount token is not copied per request: the slice points into the header's own string.
        var inPlace = System.Runtime.InteropServices.MemoryMarshal.TryGetString(token, out var text, out _, out _);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(token.ToString(), Is.EqualTo(value.Trim().Replace("Bearer  ", string.Empty, StringComparison.Ordinal)));
            Assert.That(inPlace && ReferenceEquals(text, headers[header].ToString()), Is.True);
        }
    }

    [Test]
    public void ReadReverseTokenInPlace_NoToken_IsEmpty()
    {
        Assert.That(ClientCredentials.ReadReverseTokenInPlace(new HeaderDictionary { ["Authorization"] = "Bearer   " }, null).IsEmpty, Is.True);
    }

    [Test]
    public void ReadProxyCredential_ListOfConnectors_Parsed()
    {
        var (credential, error) = ClientCredentials.ReadProxyCredential("Basic " + B64("ns1/c1, ns2%2Fc2:tok:with:colons"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.Null);
            Assert.That(credential!.Connectors, Is.EqualTo(new[] { new ConnectorKey("ns1", "c1"), new ConnectorKey("ns2", "c2") }));
            Assert.That(credential.Token, Is.EqualTo("tok:with:colons"));
            Assert.That(credential.ToString(), Does.Not.Contain("tok"));
        }
    }

    [TestCase(null, false, false)]
    [TestCase("", false, false)]
    [TestCase("Bearer x", false, true)]
    [TestCase("Basic bm9zbGFzaDp0b2s=", false, true)]
    [TestCase("Basic bnMvYTp0b2s=", true, false)]
    public void ReadProxyCredential_Header_CredentialOrError(string? header, bool hasCredential, bool hasError)
    {
        var (credential, error) = ClientCredentials.ReadProxyCredential(header);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(credential is not null, Is.EqualTo(hasCredential));
            Assert.That(error is not null, Is.EqualTo(hasError));
        }
    }
}
