using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Connectors.Modules.Proxy;
using Connectors.Tests.Support;
using Microsoft.Extensions.Options;

namespace Connectors.Tests.Proxy;

/// <summary>Token reviews under a flood of made-up tokens and with the API server gone.</summary>
[TestFixture]
public sealed class AccessReviewerAttackTests
{
    private const string User = "system:serviceaccount:team:builder";

    private static AccessReviewer Reviewer(FakeAccessReviews reviews, ProxyOptions? options = null) =>
        new(reviews, Options.Create(options ?? new ProxyOptions()), TimeProvider.System);

    [Test, CancelAfter(10_000)]
    public async Task AuthorizeAsync_SignedByTheIssuer_ReviewedAsVerified(CancellationToken cancellationToken)
    {
        using var issuer = new TestIssuer("k1");
        using var reviews = new FakeAccessReviews { IssuerKeys = issuer.Jwks };
        using var reviewer = Reviewer(reviews);
        var token = issuer.Token(TimeSpan.FromMinutes(10));
        reviews.AddToken(token, User);
        reviews.Grant(User, "team", "git");

        var decision = await reviewer.AuthorizeAsync(token, "team", "git", null, false, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(decision.Outcome, Is.EqualTo(AccessOutcome.Allowed));
            Assert.That(reviews.VerifiedReviews, Is.EqualTo(1));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task AuthorizeAsync_ForgedSignatureOrExpired_RefusedWithoutAnyReview(CancellationToken cancellationToken)
    {
        using var issuer = new TestIssuer("k1");
        using var forger = new TestIssuer("k1");
        using var reviews = new FakeAccessReviews { IssuerKeys = issuer.Jwks };
        using var reviewer = Reviewer(reviews);
        var forged = forger.Token(TimeSpan.FromMinutes(10));
        var expired = issuer.Token(TimeSpan.FromMinutes(-10));
        reviews.AddToken(forged, User);
        reviews.AddToken(expired, User);
        reviews.Grant(User, "team", "git");

        var forgedDecision = await reviewer.AuthorizeAsync(forged, "team", "git", null, false, cancellationToken);
        var expiredDecision = await reviewer.AuthorizeAsync(expired, "team", "git", null, false, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(forgedDecision.Outcome, Is.EqualTo(AccessOutcome.Unauthenticated));
            Assert.That(forgedDecision.Reason, Does.Contain("signature"));
            Assert.That(expiredDecision.Outcome, Is.EqualTo(AccessOutcome.Unauthenticated));
            Assert.That(expiredDecision.Reason, Does.Contain("expired"));
            Assert.That(reviews.TokenReviews, Is.Zero);
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task AuthorizeAsync_FloodOfRandomTokens_VerifiedTokenDoesNotWaitBehindThem(CancellationToken cancellationToken)
    {
        using var issuer = new TestIssuer("k1");
        using var reviews = new FakeAccessReviews { IssuerKeys = issuer.Jwks, Delay = TimeSpan.FromMilliseconds(300) };
        using var reviewer = Reviewer(reviews, new ProxyOptions { UnverifiedReviewWait = TimeSpan.FromSeconds(20) });
        var valid = issuer.Token(TimeSpan.FromMinutes(10));
        reviews.AddToken(valid, User);
        reviews.Grant(User, "team", "git");

        // 4 review slots, 300 ms a review, two reviews (two audiences) a random token: 80 of them take 12 s.
        var flood = Enumerable.Range(0, 80)
            .Select(i => reviewer.AuthorizeAsync("random-" + Guid.NewGuid(), "team", "git", null, false, cancellationToken).AsTask())
            .ToArray();
        var decision = await reviewer.AuthorizeAsync(valid, "team", "git", null, false, cancellationToken);
        var floodStillWaiting = flood.Count(t => !t.IsCompleted);
        await Task.WhenAll(flood);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(decision.Outcome, Is.EqualTo(AccessOutcome.Allowed));
            Assert.That(floodStillWaiting, Is.GreaterThan(60));
            Assert.That(flood.All(t => t.Result.Outcome == AccessOutcome.Unauthenticated), Is.True);
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task AuthorizeAsync_UnverifiedSlotsFull_503NotAQueueWithoutEnd(CancellationToken cancellationToken)
    {
        using var reviews = new FakeAccessReviews { Delay = TimeSpan.FromSeconds(3) };
        using var reviewer = Reviewer(reviews, new ProxyOptions { UnverifiedReviews = 1, UnverifiedReviewWait = TimeSpan.FromMilliseconds(100) });

        var first = reviewer.AuthorizeAsync("random-1", "team", "git", null, false, cancellationToken).AsTask();
        var second = await reviewer.AuthorizeAsync("random-2", "team", "git", null, false, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Outcome, Is.EqualTo(AccessOutcome.Unavailable));
            Assert.That(second.Reason, Does.Contain("try again"));
            Assert.That(first.IsCompleted, Is.False);
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task AuthorizeAsync_ApiUnreachable_NewToken503AtOnceCachedTokenStillAllowed(CancellationToken cancellationToken)
    {
        using var reviews = new FakeAccessReviews();
        using var reviewer = Reviewer(reviews);
        reviews.AddToken("cached-token", User);
        reviews.AddToken("new-token", User);
        reviews.Grant(User, "team", "git");
        await reviewer.AuthorizeAsync("cached-token", "team", "git", null, false, cancellationToken);
        var reviewsBefore = reviews.TokenReviews;

        reviews.Down = "GET https://api/readyz: no answer within 2 s";
        var cached = await reviewer.AuthorizeAsync("cached-token", "team", "git", null, false, cancellationToken);
        var fresh = await reviewer.AuthorizeAsync("new-token", "team", "git", null, false, cancellationToken);
        reviews.Down = null;
        var afterwards = await reviewer.AuthorizeAsync("new-token", "team", "git", null, false, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cached.Outcome, Is.EqualTo(AccessOutcome.Allowed));
            Assert.That(fresh.Outcome, Is.EqualTo(AccessOutcome.Unavailable));
            Assert.That(fresh.Reason, Does.Contain("the Kubernetes API is unreachable"));
            Assert.That(afterwards.Outcome, Is.EqualTo(AccessOutcome.Allowed));
            Assert.That(reviews.TokenReviews, Is.EqualTo(reviewsBefore + 1));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task AuthorizeAsync_ApiLostWhileReviewHangs_AnsweredWhenLostAndApiSuspected(CancellationToken cancellationToken)
    {
        using var reviews = new FakeAccessReviews { Delay = TimeSpan.FromMinutes(5) };
        using var reviewer = Reviewer(reviews);
        reviews.AddToken("new-token", User);

        var pending = reviewer.AuthorizeAsync("new-token", "team", "git", null, false, cancellationToken).AsTask();
        var suspected = await Kube.EmbeddedKube.EventuallyAsync(() => reviews.Suspected > 0, TimeSpan.FromSeconds(5), cancellationToken);
        reviews.Down = "GET https://api/readyz: no answer within 2 s";
        var decision = await pending;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(suspected, Is.True);
            Assert.That(decision.Outcome, Is.EqualTo(AccessOutcome.Unavailable));
            Assert.That(decision.Reason, Does.Contain("unreachable"));
        }
    }

    /// <summary>A ServiceAccount issuer: an ES256 key, its JWK Set and tokens signed with it.</summary>
    private sealed class TestIssuer(string kid) : IDisposable
    {
        private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        public JsonNode Jwks
        {
            get
            {
                var p = _key.ExportParameters(false);
                return new JsonObject
                {
                    ["keys"] = new JsonArray(new JsonObject
                    {
                        ["kty"] = "EC",
                        ["crv"] = "P-256",
                        ["kid"] = kid,
                        ["alg"] = "ES256",
                        ["use"] = "sig",
                        ["x"] = Base64Url.EncodeToString(p.Q.X),
                        ["y"] = Base64Url.EncodeToString(p.Q.Y),
                    }),
                };
            }
        }

        public string Token(TimeSpan lifetime)
        {
            var now = DateTimeOffset.UtcNow;
            var header = Encode(new JsonObject { ["alg"] = "ES256", ["kid"] = kid });
            var payload = Encode(new JsonObject
            {
                ["iss"] = "https://kubernetes.default.svc.cluster.local",
                ["sub"] = User,
                ["jti"] = Guid.NewGuid().ToString(),
                ["iat"] = (now + lifetime - TimeSpan.FromMinutes(20)).ToUnixTimeSeconds(),
                ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
            });
            var signature = _key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256);
            return header + "." + payload + "." + Base64Url.EncodeToString(signature);
        }

        public void Dispose() => _key.Dispose();

        private static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
    }
}
