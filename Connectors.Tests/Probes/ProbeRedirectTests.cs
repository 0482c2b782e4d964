using System.Net.Http.Headers;
using Connectors.Modules.Probes;

namespace Connectors.Tests.Probes;

[TestFixture]
public sealed class ProbeRedirectTests
{
    [TestCase("http://git.example.com/a", "http://GIT.example.com:80/b", true)]
    [TestCase("https://git.example.com/a", "https://git.example.com:443/b?c", true)]
    [TestCase("https://git.example.com/a", "http://git.example.com/a", false)]
    [TestCase("https://git.example.com:8443/a", "http://git.example.com:8443/a", false)]
    [TestCase("http://git.example.com:8080/", "http://git.example.com:8081/", false)]
    [TestCase("http://git.example.com/", "http://git.example.com.evil/", false)]
    [TestCase("http://git.example.com/", "http://evil.git.example.com/", false)]
    [TestCase("http://git.example.com/", "http://user:pw@git.example.com/", true)]
    [TestCase("http://[::1]:8080/", "http://[0:0:0:0:0:0:0:1]:8080/x", true)]
    [TestCase("http://127.0.0.1/", "http://localhost/", false)]
    [TestCase("http://git.example.com/", "file:///etc/passwd", false)]
    public void SameOrigin_Pairs_SchemeHostAndPortCompared(string a, string b, bool expected) =>
        Assert.That(ProbeRedirect.SameOrigin(new Uri(a), new Uri(b)), Is.EqualTo(expected));

    [TestCase("http://user:s3cret@git.example.com/x?private_token=t", "http://git.example.com:80")]
    [TestCase("https://git.example.com:8443/", "https://git.example.com:8443")]
    [TestCase("http://[::1]:8080/", "http://[::1]:8080")]
    [TestCase("file:///etc/passwd", "file:")]
    public void Origin_Url_SchemeHostPortOnly(string url, string expected) =>
        Assert.That(ProbeRedirect.Origin(new Uri(url)), Is.EqualTo(expected));

    [TestCase("/new", "http://tool:8080/new")]
    [TestCase("new?x=1", "http://tool:8080/api/new?x=1")]
    [TestCase("//foreign/x", "http://foreign/x")]
    [TestCase("https://foreign:9443/x", "https://foreign:9443/x")]
    [TestCase(" /padded ", "http://tool:8080/padded")]
    public void Next_Location_ResolvedAgainstCurrentUrl(string location, string expected)
    {
        var next = ProbeRedirect.Next(Get("http://tool:8080/api/v4"), 302, Headers(location));
        Assert.That(next?.Url.AbsoluteUri, Is.EqualTo(expected));
    }

    [TestCase(301, "GET")]
    [TestCase(302, "GET")]
    [TestCase(303, "GET")]
    [TestCase(307, "POST")]
    [TestCase(308, "POST")]
    public void Next_PostRedirected_MethodAsGo(int statusCode, string expected)
    {
        var post = Get("http://tool/api") with { Method = "POST" };
        Assert.That(ProbeRedirect.Next(post, statusCode, Headers("/b"))!.Method, Is.EqualTo(expected));
    }

    [Test]
    public void Next_HostHeader_KeptForRelativeDroppedForAbsolute()
    {
        var request = Get("http://tool/a") with { Headers = [new("Host", "git.example.com"), new("Private-Token", "t")] };
        var relative = ProbeRedirect.Next(request, 302, Headers("/b"))!;
        var absolute = ProbeRedirect.Next(request, 302, Headers("http://tool/b"))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(relative.Headers.Select(h => h.Key), Is.EqualTo((string[])["Host", "Private-Token"]));
            Assert.That(absolute.Headers.Select(h => h.Key), Is.EqualTo((string[])["Private-Token"]));
        }
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("http://[not-an-ip/")]
    public void Next_NoUsableLocation_Null(string? location) =>
        Assert.That(ProbeRedirect.Next(Get("http://tool/a"), 302, Headers(location)), Is.Null);

    [TestCase(301, true)]
    [TestCase(302, true)]
    [TestCase(303, true)]
    [TestCase(307, true)]
    [TestCase(308, true)]
    [TestCase(300, false)]
    [TestCase(304, false)]
    [TestCase(200, false)]
    public void IsRedirect_StatusCode_AsGo(int statusCode, bool expected) =>
        Assert.That(ProbeRedirect.IsRedirect(statusCode), Is.EqualTo(expected));

    private static ProbeRequest Get(string url) => new("GET", new Uri(url), [], true);

    private static HttpResponseHeaders Headers(string? location)
    {
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.Found);
        if (location is not null)
        {
            response.Headers.TryAddWithoutValidation("Location", location);
        }

        return response.Headers;
    }
}
