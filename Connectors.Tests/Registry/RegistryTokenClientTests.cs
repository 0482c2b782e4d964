using System.Text;
using Connectors.Modules.Registry;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Connectors.Tests.Registry;

[TestFixture]
public sealed class RegistryTokenClientTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [TestCase("{\"token\":\"t1\",\"expires_in\":300}", "t1", 290)]
    [TestCase("{\"access_token\":\"a1\",\"expires_in\":120,\"issued_at\":\"2026-12-06T12:00:00Z\"}", "a1", 110)]
    [TestCase("{\"token\":\"t2\",\"access_token\":\"a2\"}", "t2", 50)]
    [TestCase("{\"token\":\"t3\",\"expires_in\":5}", "t3", 50)]
    [TestCase("{\"token\":\"t4\",\"expires_in\":\"300\",\"extra\":{\"x\":[1,2]}}", "t4", 50)]
    public void Parse_TokenAnswers_TokenAndLifetimeWithMargin(string json, string token, int usableSeconds)
    {
        var parsed = RegistryTokenClient.Parse(Encoding.UTF8.GetBytes(json), Now, TimeSpan.FromSeconds(10), out var error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.Null);
            Assert.That(parsed?.Value, Is.EqualTo(token));
            Assert.That(parsed?.ExpiresAt, Is.EqualTo(Now.AddSeconds(usableSeconds)));
            Assert.That(parsed?.ToString(), Does.Not.Contain(token));
        }
    }

    [TestCase("{\"token\":\"t1\",\"expires_in\":86400}", 86400)]
    [TestCase("{\"token\":\"t1\",\"expires_in\":86401}", 86400)]
    [TestCase("{\"token\":\"t1\",\"expires_in\":2.5e11}", 86400)]
    [TestCase("{\"token\":\"t1\",\"expires_in\":3e11}", 86400)]
    [TestCase("{\"token\":\"t1\",\"expires_in\":4.6e11}", 86400)]
    [TestCase("{\"token\":\"t1\",\"expires_in\":1e300}", 86400)]
    [TestCase("{\"token\":\"t1\",\"expires_in\":-1e300}", 60)]
    public void Parse_HugeExpiresIn_ClampedToADay(string json, int lifetimeSeconds)
    {
        // 2.5e11..4.6e11 s fits a TimeSpan but not a date: the expiry used to overflow (ArgumentOutOfRangeException).
        var parsed = RegistryTokenClient.Parse(Encoding.UTF8.GetBytes(json), Now, TimeSpan.Zero, out var error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.Null);
            Assert.That(parsed?.ExpiresAt, Is.EqualTo(Now.AddSeconds(lifetimeSeconds)));
        }
    }

    [TestCase("not json")]
    [TestCase("[]")]
    [TestCase("{\"expires_in\":60}")]
    [TestCase("{\"token\":\"\"}")]
    [TestCase("{\"token\":\"t1\\r\\nX-Evil: 1\"}")]
    [TestCase("{\"access_token\":\"a1\\n\"}")]
    [TestCase("{\"token\":\"t1\\u0000\"}")]
    public void Parse_NoUsableToken_Error(string json)
    {
        var parsed = RegistryTokenClient.Parse(Encoding.UTF8.GetBytes(json), Now, TimeSpan.Zero, out var error);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed, Is.Null);
            Assert.That(error, Is.Not.Null.And.Not.Empty);
        }
    }

    [Test]
    public void TokenUrl_RealmWithQuery_AddsServiceAndEachScopeEscaped()
    {
        var url = RegistryTokenClient.TokenUrl(new Uri("https://auth.example.com/token?account=x"), "reg istry", ["repository:a/b:pull,push", "repository:c:pull"]);

        Assert.That(url.OriginalString, Is.EqualTo("https://auth.example.com/token?account=x&service=reg%20istry&scope=repository%3Aa%2Fb%3Apull%2Cpush&scope=repository%3Ac%3Apull"));
    }

    [Test, CancelAfter(10_000)]
    public async Task FetchAsync_HttpsRegistryPlainHttpRealm_SendsNoCredential(CancellationToken cancellationToken)
    {
        await using var realm = await ToolServer.StartAsync(ctx => ctx.Response.StatusCode = 200, cancellationToken);
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        var client = new RegistryTokenClient(Options.Create(new RegistryOptions()), TimeProvider.System, NullLogger<RegistryTokenClient>.Instance);
        var challenge = AuthChallenge.Parse([$"Bearer realm=\"{realm.BaseAddress}token\",service=s"]).Single();

        var fetched = await client.FetchAsync(invoker, new Uri("https://registry.example.com"), challenge, ["repository:a:pull"], new RegistryCredential("u", "secret-pass"), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fetched.Succeeded, Is.False);
            Assert.That(fetched.Error, Does.Contain("plain http").And.Not.Contain("secret-pass"));
            Assert.That(realm.Requests, Is.Empty);
        }
    }

    [TestCase(401, false)]
    [TestCase(200, true)]
    [CancelAfter(10_000)]
    public async Task FetchAsync_RealRealm_SendsBasicAndReadsTheAnswer(int status, bool succeeds, CancellationToken cancellationToken)
    {
        await using var realm = await ToolServer.StartAsync(async ctx =>
        {
            ctx.Response.StatusCode = status;
            await ctx.Response.WriteAsync("{\"access_token\":\"tok\",\"expires_in\":600}", ctx.RequestAborted);
        }, cancellationToken);
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        var client = new RegistryTokenClient(Options.Create(new RegistryOptions()), TimeProvider.System, NullLogger<RegistryTokenClient>.Instance);
        var challenge = AuthChallenge.Parse([$"Bearer realm=\"{realm.BaseAddress}token\",service=\"reg one\""]).Single();

        var fetched = await client.FetchAsync(invoker, realm.BaseAddress, challenge, ["repository:a:pull"], new RegistryCredential("u", "p"), cancellationToken);

        var sent = realm.Requests.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fetched.Succeeded, Is.EqualTo(succeeds));
            Assert.That(fetched.StatusCode, Is.EqualTo(status));
            Assert.That(sent.PathAndQuery, Is.EqualTo("/token?service=reg%20one&scope=repository%3Aa%3Apull"));
            Assert.That(sent.Headers["Authorization"], Is.EqualTo("Basic dTpw"));
        }
    }
}
