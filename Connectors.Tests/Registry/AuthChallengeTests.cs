using Connectors.Modules.Registry;

namespace Connectors.Tests.Registry;

[TestFixture]
public sealed class AuthChallengeTests
{
    [Test]
    public void Parse_DistributionBearer_ReadsRealmServiceAndScopes()
    {
        var challenges = AuthChallenge.Parse(["Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:a/b:pull,push repository:c:pull\""]);

        var bearer = challenges.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(bearer.IsBearer, Is.True);
            Assert.That(bearer.Realm, Is.EqualTo("https://auth.example.com/token"));
            Assert.That(bearer.Service, Is.EqualTo("registry.example.com"));
            Assert.That(bearer.Scopes, Is.EqualTo(new[] { "repository:a/b:pull,push", "repository:c:pull" }));
        }
    }

    [Test]
    public void Parse_SeveralChallengesTokensAndEscapes_ReadsEach()
    {
        var challenges = AuthChallenge.Parse(["Negotiate, basic realm=\"a \\\"quoted\\\" realm\" , Bearer realm=https://t/x ,service=s", "Basic realm=second"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(challenges.Select(c => c.Scheme), Is.EqualTo(new[] { "Negotiate", "basic", "Bearer", "Basic" }));
            Assert.That(challenges[1].Realm, Is.EqualTo("a \"quoted\" realm"));
            Assert.That(challenges[2].Realm, Is.EqualTo("https://t/x"));
            Assert.That(challenges[2].Service, Is.EqualTo("s"));
            Assert.That(AuthChallenge.Preferred(challenges), Is.SameAs(challenges[2]));
        }
    }

    [TestCase("")]
    [TestCase("   ,, ")]
    [TestCase("=== \"")]
    [TestCase("Bearer realm=\"unterminated")]
    public void Parse_Malformed_NeverThrows(string header)
    {
        Assert.That(() => AuthChallenge.Parse([header]), Throws.Nothing);
    }

    [Test]
    public void Preferred_BearerWithoutRealm_FallsBackToBasic()
    {
        var challenges = AuthChallenge.Parse(["Bearer service=x, Basic realm=r"]);

        Assert.That(AuthChallenge.Preferred(challenges)?.IsBasic, Is.True);
    }
}
