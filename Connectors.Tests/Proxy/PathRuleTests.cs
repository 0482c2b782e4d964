using Connectors.Modules.Proxy;
using CsCheck;

namespace Connectors.Tests.Proxy;

[TestFixture]
public sealed class PathRuleTests
{
    [TestCase("/../other")]
    [TestCase("/prefix/..")]
    [TestCase("/a/./b")]
    [TestCase("/%2e%2e/other")]
    [TestCase("/%2E%2E/other")]
    [TestCase("/.%2e/other")]
    [TestCase("/%2e./other")]
    [TestCase("/..%2Fother")]
    [TestCase("/..%2fother")]
    [TestCase("/a%2F..%2F..%2Fother")]
    [TestCase("/..\\other")]
    [TestCase("/a\\b")]
    [TestCase("/a%5Cb")]
    [TestCase("/a%5c..%5cb")]
    [TestCase("/..;/other")]
    [TestCase("/..;jsessionid=1/other")]
    [TestCase("/%252e%252e/other")]
    [TestCase("/%25252e%25252e%25252fother")]
    [TestCase("/a%00b")]
    [TestCase("/a%zz")]
    [TestCase("/a%2")]
    public void Check_EscapingPath_Refused(string path)
    {
        var verdict = PathRule.Check(path, out var reason);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verdict, Is.EqualTo(PathVerdict.Refused));
            Assert.That(reason, Is.Not.Null.And.Not.Empty);
        }
    }

    [TestCase("/", false)]
    [TestCase("", false)]
    [TestCase("/repo.git/info/refs", false)]
    [TestCase("/a/.hidden/..dots/b...", false)]
    [TestCase("/a//b", false)]
    [TestCase("/a%20b/%41", false)]
    [TestCase("/v1.2/x.", false)]
    [TestCase("/api/v4/projects/group%2Fproject", true)]
    [TestCase("/@scope%2fpackage", true)]
    public void Check_OrdinaryPath_Passes(string path, bool encodedSlash) =>
        Assert.That(PathRule.Check(path, out _), Is.EqualTo(encodedSlash ? PathVerdict.EncodedSlash : PathVerdict.Clean));

    [Test]
    public void Check_AnyString_NeverThrowsAndRefusalHasReason() =>
        Gen.String[Gen.Char["/.%\\;25eEfF2cC0a"], 0, 40].Sample(path =>
        {
            var verdict = PathRule.Check(path, out var reason);
            return (verdict == PathVerdict.Refused) == (reason is not null);
        }, iter: 20_000);

    [Test]
    public void Check_PassedPath_HasNoSegmentAServerWouldResolve() =>
        Gen.String[Gen.Char["/.%\\;25eEfF2cC"], 0, 30].Sample(path =>
        {
            if (PathRule.Check(path, out _) == PathVerdict.Refused)
            {
                return true;
            }

            // What a lenient server does: decode three times, treat backslashes as slashes, cut ;params.
            var decoded = path;
            for (var i = 0; i < 3; i++)
            {
                decoded = Uri.UnescapeDataString(decoded);
            }

            return decoded.Replace('\\', '/').Split('/').Select(s => s.Split(';')[0]).All(s => s is not "." and not "..");
        }, iter: 20_000);

    [Test]
    public void UpstreamUri_RawPath_SentVerbatim()
    {
        var uri = UpstreamUri.Create("http://127.0.0.1:8080/prefix", "/a%41b/c%2Fd?x=%2e%2e&y=1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(uri!.PathAndQuery, Is.EqualTo("/prefix/a%41b/c%2Fd?x=%2e%2e&y=1"));
            Assert.That(uri.AbsolutePath, Is.EqualTo("/prefix/a%41b/c%2Fd"));
            Assert.That(uri.Authority, Is.EqualTo("127.0.0.1:8080"));
        }
    }

    [TestCase("http://h:1/a/b?q", "h:1", "/a/b?q")]
    [TestCase("http://h:1?q", "h:1", "?q")]
    [TestCase("http://h:1", "h:1", "")]
    [TestCase("http://h/..%2f", "h", "/..%2f")]
    [TestCase("http://u@h#x/y", "u@h#x", "/y")]
    public void SplitAbsolute_Target_RawAuthorityAndRest(string target, string authority, string rest) =>
        Assert.That(UpstreamUri.SplitAbsolute(target), Is.EqualTo((authority, rest)));
}

[TestFixture]
public sealed class RequestRouterPropertyTests
{
    private static readonly Gen<string> Targets = Gen.OneOf(
        Gen.String[Gen.Char["/.%\\;?#@:abc2eEfF5C0"], 0, 40].Select(s => "/" + s),
        Gen.String[Gen.Char["/.%\\;?#@:abc2eEfF5C0"], 0, 40].Select(s => "http://127.0.0.1:8080/" + s),
        Gen.String[Gen.Char["/.%\\;?#@:abc2eEfF5C0["], 0, 40].Select(s => "http://" + s),
        Gen.String[Gen.Char["/.%\\;?#@:abc2eEfF5C0"], 0, 40].Select(s => "/namespaces/team/connectors/git/" + s));

    [Test]
    public void Route_AnyTarget_NeverThrowsAndWhatPassesIsCleanAndVerbatim() =>
        Targets.Sample(target =>
        {
            var route = RequestRouter.Route(target, "proxy", "http", null);
            switch (route.Kind)
            {
                case RouteKind.Invalid:
                    return route.Error is { Length: > 0 } && route.Status is 400 or 404;
                case RouteKind.Forward:
                    var sent = route.Target!.PathAndQuery;
                    return PathRule.Check(UpstreamUri.PathOf(sent), out _) != PathVerdict.Refused
                        && target.EndsWith(sent.TrimStart('/'), StringComparison.Ordinal);
                default:
                    return PathRule.Check(UpstreamUri.PathOf(route.PathAndQuery), out _) != PathVerdict.Refused
                        && target.EndsWith(route.PathAndQuery, StringComparison.Ordinal);
            }
        }, iter: 20_000);
}
