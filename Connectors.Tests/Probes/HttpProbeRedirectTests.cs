using Connectors.Modules.Model;
using Connectors.Modules.Probes;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Tests.Probes;

/// <summary>
/// Redirects met by a probe, against real loopback servers: a "tool" that redirects and a "foreign" server that
/// records what it receives. Probe headers carry credentials, so they only ever go to the probe URL's origin.
/// </summary>
[TestFixture]
public sealed class HttpProbeRedirectTests
{
    private const string Pat = "glpat-0123456789abcdef";
    private const string Basic = "Basic dXNlcjpzM2NyZXQ=";
    private const string Cookie = "_gitlab_session=c00k13";

    private static readonly KeyValuePair<string, string>[] Credentials =
        [new("Private-Token", Pat), new("Authorization", Basic), new("Cookie", Cookie)];

    private static IProbe NewProbe(int maxRedirects = 10)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Probes:Timeout"] = "00:00:10",
            ["Probes:MaxRedirects"] = maxRedirects.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddProbes();
        return services.BuildServiceProvider().GetRequiredService<IProbe>();
    }

    private static Task<ToolServer> RedirectingToolAsync(Func<string> location, CancellationToken cancellationToken) =>
        ToolServer.StartAsync(ctx => ctx.Response.Redirect(location()), cancellationToken);

    private static bool CarriesCredential(RecordedRequest request) =>
        request.Headers.ContainsKey("Private-Token") || request.Headers.ContainsKey("Authorization") || request.Headers.ContainsKey("Cookie");

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_RedirectToForeignOrigin_NothingSentThereAndRejectedNamingTarget(CancellationToken cancellationToken)
    {
        await using var foreign = await ToolServer.StartAsync(ctx => ctx.Response.StatusCode = 200, cancellationToken);
        await using var tool = await RedirectingToolAsync(() => foreign.BaseAddress + "stolen/api/v4/user", cancellationToken);
        var request = new ProbeRequest("GET", new Uri(tool.BaseAddress, "/api/v4/user"), Credentials, true);

        var result = await NewProbe().ProbeAsync(request, cancellationToken);

        var foreignOrigin = $"http://127.0.0.1:{foreign.BaseAddress.Port}";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(foreign.Requests, Is.Empty);
            Assert.That(foreign.Requests.Where(CarriesCredential), Is.Empty);
            Assert.That(tool.Requests.Single().Headers["Private-Token"], Is.EqualTo(Pat));
            Assert.That((result.Outcome, result.StatusCode, result.Succeeded), Is.EqualTo((ProbeOutcome.Rejected, (int?)302, false)));
            Assert.That(result.Message, Is.EqualTo(
                $"status code 302: redirect to another origin {foreignOrigin} not followed (probe headers are only sent to http://127.0.0.1:{tool.BaseAddress.Port})"));
            Assert.That(result.Message, Does.Not.Contain(Pat).And.Not.Contain("dXNlcjpzM2NyZXQ=").And.Not.Contain("c00k13").And.Not.Contain("stolen"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_RedirectToSameServerUnderOtherHostName_NotFollowed(CancellationToken cancellationToken)
    {
        // Same listener, other host name (localhost vs 127.0.0.1): another origin all the same.
        ToolServer? self = null;
        await using var tool = await ToolServer.StartAsync(
            ctx =>
            {
                if (ctx.Request.Path == "/api/v4/user")
                {
                    ctx.Response.Redirect($"http://localhost:{self!.BaseAddress.Port}/elsewhere");
                }
            },
            cancellationToken);
        self = tool;

        var result = await NewProbe().ProbeAsync(new ProbeRequest("GET", new Uri(tool.BaseAddress, "/api/v4/user"), Credentials, true), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(tool.Requests.Select(r => r.PathAndQuery), Is.EqualTo((string[])["/api/v4/user"]));
            Assert.That((result.Outcome, result.StatusCode), Is.EqualTo((ProbeOutcome.Rejected, (int?)302)));
            Assert.That(result.Message, Does.Contain($"redirect to another origin http://localhost:{tool.BaseAddress.Port} not followed"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_RedirectWithinOrigin_FollowedWithEveryHeader(CancellationToken cancellationToken)
    {
        ToolServer? self = null;
        await using var tool = await ToolServer.StartAsync(
            ctx =>
            {
                switch (ctx.Request.Path.Value)
                {
                    case "/api/v4/user":
                        ctx.Response.Redirect("/relative"); // relative Location
                        break;
                    case "/relative":
                        ctx.Response.Redirect($"http://127.0.0.1:{self!.BaseAddress.Port}/absolute?x=1"); // absolute, same origin
                        break;
                    default:
                        ctx.Response.StatusCode = ctx.Request.Headers["Private-Token"] == Pat ? 200 : 401;
                        break;
                }
            },
            cancellationToken);
        self = tool;

        var result = await NewProbe().ProbeAsync(new ProbeRequest("GET", new Uri(tool.BaseAddress, "/api/v4/user"), Credentials, true), cancellationToken);

        var seen = tool.Requests.ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ProbeOutcome.Succeeded));
            Assert.That(seen.Select(r => r.PathAndQuery), Is.EqualTo((string[])["/api/v4/user", "/relative", "/absolute?x=1"]));
            Assert.That(seen.Select(r => (r.Headers["Private-Token"], r.Headers["Authorization"], r.Headers["Cookie"])), Is.All.EqualTo((Pat, Basic, Cookie)));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_SameOriginThenForeign_StopsAtTheHopThatLeaves(CancellationToken cancellationToken)
    {
        await using var foreign = await ToolServer.StartAsync(ctx => ctx.Response.StatusCode = 200, cancellationToken);
        await using var tool = await ToolServer.StartAsync(
            ctx => ctx.Response.Redirect(ctx.Request.Path == "/start" ? "/hop" : foreign.BaseAddress + "x"),
            cancellationToken);

        var result = await NewProbe().ProbeAsync(new ProbeRequest("GET", new Uri(tool.BaseAddress, "/start"), Credentials, true), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(foreign.Requests, Is.Empty);
            Assert.That(tool.Requests.Select(r => r.PathAndQuery), Is.EqualTo((string[])["/start", "/hop"]));
            Assert.That((result.Outcome, result.StatusCode), Is.EqualTo((ProbeOutcome.Rejected, (int?)302)));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_HttpsToHttpOnSameHostAndPort_DowngradeNotFollowed(CancellationToken cancellationToken)
    {
        using var certificates = new TestCertificates();
        ToolServer? self = null;
        await using var tool = await ToolServer.StartAsync(
            ctx =>
            {
                ctx.Response.Redirect($"http://127.0.0.1:{self!.BaseAddress.Port}/plain");
                return Task.CompletedTask;
            },
            certificates.Server(),
            cancellationToken);
        self = tool;
        var request = new ProbeRequest("GET", new Uri($"https://127.0.0.1:{tool.BaseAddress.Port}/api"), Credentials, true) { TrustedCas = Bundle(certificates) };

        var result = await NewProbe().ProbeAsync(request, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(tool.Requests.Select(r => r.PathAndQuery), Is.EqualTo((string[])["/api"]));
            Assert.That((result.Outcome, result.StatusCode), Is.EqualTo((ProbeOutcome.Rejected, (int?)302)));
            Assert.That(result.Message, Does.Contain($"redirect to another origin http://127.0.0.1:{tool.BaseAddress.Port} not followed (probe headers are only sent to https://127.0.0.1:{tool.BaseAddress.Port})"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_PrivateCaToolRedirectsToForeignHttps_NothingSentThere(CancellationToken cancellationToken)
    {
        // Probes of a tool with its own CA use their own connection pools: those do not follow redirects either.
        using var certificates = new TestCertificates();
        await using var foreign = await ToolServer.StartAsync(ctx =>
        {
            ctx.Response.StatusCode = 200;
            return Task.CompletedTask;
        }, certificates.Server(), cancellationToken);
        var foreignUrl = $"https://127.0.0.1:{foreign.BaseAddress.Port}/stolen";
        await using var tool = await ToolServer.StartAsync(
            ctx =>
            {
                ctx.Response.Redirect(ctx.Request.Path == "/start" ? "/same" : foreignUrl);
                return Task.CompletedTask;
            },
            certificates.Server(),
            cancellationToken);
        var request = new ProbeRequest("GET", new Uri($"https://127.0.0.1:{tool.BaseAddress.Port}/start"), Credentials, true) { TrustedCas = Bundle(certificates) };

        var result = await NewProbe().ProbeAsync(request, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(foreign.Requests, Is.Empty);
            Assert.That(tool.Requests.Select(r => r.Headers["Private-Token"]), Is.EqualTo((string[])[Pat, Pat]));
            Assert.That((result.Outcome, result.StatusCode), Is.EqualTo((ProbeOutcome.Rejected, (int?)302)));
            Assert.That(result.Message, Does.Contain($"https://127.0.0.1:{foreign.BaseAddress.Port} not followed"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_PostAnswered302Then307_GetThenGetKept(CancellationToken cancellationToken)
    {
        await using var tool = await ToolServer.StartAsync(
            ctx =>
            {
                switch (ctx.Request.Path.Value)
                {
                    case "/post302":
                        ctx.Response.Redirect("/after302");
                        break;
                    case "/post307":
                        ctx.Response.Redirect("/after307", permanent: false, preserveMethod: true);
                        break;
                    default:
                        ctx.Response.StatusCode = 204;
                        break;
                }
            },
            cancellationToken);
        var probe = NewProbe();

        var after302 = await probe.ProbeAsync(new ProbeRequest("POST", new Uri(tool.BaseAddress, "/post302"), Credentials, true), cancellationToken);
        var after307 = await probe.ProbeAsync(new ProbeRequest("POST", new Uri(tool.BaseAddress, "/post307"), Credentials, true), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((after302.Outcome, after307.Outcome), Is.EqualTo((ProbeOutcome.Succeeded, ProbeOutcome.Succeeded)));
            Assert.That(tool.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"), Is.EqualTo((string[])["POST /post302", "GET /after302", "POST /post307", "POST /after307"]));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_HostHeaderSet_KeptOnRelativeHopDroppedOnAbsolute(CancellationToken cancellationToken)
    {
        ToolServer? self = null;
        await using var tool = await ToolServer.StartAsync(
            ctx =>
            {
                switch (ctx.Request.Path.Value)
                {
                    case "/a":
                        ctx.Response.Redirect("/b");
                        break;
                    case "/b":
                        ctx.Response.Redirect($"http://127.0.0.1:{self!.BaseAddress.Port}/c");
                        break;
                }
            },
            cancellationToken);
        self = tool;
        var request = new ProbeRequest("GET", new Uri(tool.BaseAddress, "/a"), [new("Host", "git.example.com")], true);

        var result = await NewProbe().ProbeAsync(request, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ProbeOutcome.Succeeded));
            Assert.That(tool.Requests.Select(r => r.Headers["Host"]), Is.EqualTo((string[])["git.example.com", "git.example.com", $"127.0.0.1:{tool.BaseAddress.Port}"]));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_EndlessSameOriginRedirects_LastRedirectReportedAfterMax(CancellationToken cancellationToken)
    {
        await using var tool = await RedirectingToolAsync(() => "/loop", cancellationToken);

        var result = await NewProbe(maxRedirects: 3).ProbeAsync(new ProbeRequest("GET", new Uri(tool.BaseAddress, "/loop"), [], true), cancellationToken);

        Assert.That((result.Outcome, result.StatusCode, result.Message, tool.Requests.Count), Is.EqualTo((ProbeOutcome.Rejected, (int?)302, "status code 302", 4)));
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_RedirectsDisabled_ForeignRedirectReportedAsIs(CancellationToken cancellationToken)
    {
        await using var foreign = await ToolServer.StartAsync(ctx => ctx.Response.StatusCode = 200, cancellationToken);
        await using var tool = await RedirectingToolAsync(() => foreign.BaseAddress + "x", cancellationToken);

        var result = await NewProbe().ProbeAsync(new ProbeRequest("GET", new Uri(tool.BaseAddress, "/"), Credentials, false), cancellationToken);

        Assert.That((result.Outcome, result.StatusCode, result.Message, foreign.Requests.Count), Is.EqualTo((ProbeOutcome.Rejected, (int?)302, "status code 302", 0)));
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_RedirectToNonHttpScheme_NotFollowed(CancellationToken cancellationToken)
    {
        await using var tool = await ToolServer.StartAsync(
            (HttpContext ctx) =>
            {
                ctx.Response.StatusCode = 302;
                ctx.Response.Headers.Location = "file:///etc/passwd";
            },
            cancellationToken);

        var result = await NewProbe().ProbeAsync(new ProbeRequest("GET", new Uri(tool.BaseAddress, "/"), Credentials, true), cancellationToken);

        Assert.That((result.Outcome, result.StatusCode, result.Message), Is.EqualTo((ProbeOutcome.Rejected, (int?)302, $"status code 302: redirect to another origin file: not followed (probe headers are only sent to http://127.0.0.1:{tool.BaseAddress.Port})")));
    }

    private static CaBundle Bundle(TestCertificates certificates) => CaBundle.FromSecret(new Secret
    {
        Metadata = new ObjectMeta { Name = "tool-ca", Namespace = "default" },
        Data = new() { ["ca.crt"] = System.Text.Encoding.UTF8.GetBytes(certificates.CaPem) },
    })!;
}
