using Connectors.Modules.Probes;
using Connectors.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connectors.Tests.Probes;

[TestFixture]
public sealed class HttpProbeTests
{
    internal static IProbe NewProbe(string timeout = "00:00:10")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Probes:Timeout"] = timeout }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddProbes();
        return services.BuildServiceProvider().GetRequiredService<IProbe>();
    }

    private static ProbeRequest Get(Uri baseAddress, string path, bool follow = true, params KeyValuePair<string, string>[] headers) =>
        new("GET", new Uri(baseAddress + path.TrimStart('/')), headers, follow);

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_Tool200_SucceededWithHeadersSent(CancellationToken cancellationToken)
    {
        using var tool = CannedTool.Start();
        tool.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(200));
        var result = await NewProbe().ProbeAsync(Get(tool.BaseAddress(), "/org/repo/info/refs?service=git-upload-pack", true, new("Authorization", "Basic dTpw"), new("X-Api-Key", "k")), cancellationToken);
        var request = tool.SingleRequest().RequestMessage;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(ProbeOutcome.Succeeded));
            Assert.That(new Uri(request.Url).PathAndQuery, Is.EqualTo("/org/repo/info/refs?service=git-upload-pack"));
            Assert.That(request.Headers?["Authorization"].ToString(), Is.EqualTo("Basic dTpw"));
            Assert.That(request.Headers?["X-Api-Key"].ToString(), Is.EqualTo("k"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_Tool401_RejectedWithStatusCode(CancellationToken cancellationToken)
    {
        using var tool = CannedTool.Start();
        tool.Given(Request.Create()).RespondWith(Response.Create().WithStatusCode(401));
        var result = await NewProbe().ProbeAsync(Get(tool.BaseAddress(), "/"), cancellationToken);
        Assert.That((result.Outcome, result.StatusCode, result.Message), Is.EqualTo((ProbeOutcome.Rejected, (int?)401, "status code 401")));
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_Redirect_FollowedUnlessDisabled(CancellationToken cancellationToken)
    {
        using var tool = CannedTool.Start();
        tool.Given(Request.Create().WithPath("/old")).RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", "/new"));
        tool.Given(Request.Create().WithPath("/new")).RespondWith(Response.Create().WithStatusCode(200));
        var followed = await NewProbe().ProbeAsync(Get(tool.BaseAddress(), "/old"), cancellationToken);
        var direct = await NewProbe().ProbeAsync(Get(tool.BaseAddress(), "/old", follow: false), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(followed.Outcome, Is.EqualTo(ProbeOutcome.Succeeded));
            Assert.That((direct.Outcome, direct.StatusCode), Is.EqualTo((ProbeOutcome.Rejected, (int?)302)));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_PostMethodAndHostHeader_Sent(CancellationToken cancellationToken)
    {
        using var tool = CannedTool.Start();
        tool.Given(Request.Create().UsingPost().WithPath("/api")).RespondWith(Response.Create().WithStatusCode(204));
        var request = new ProbeRequest("POST", new Uri(tool.BaseAddress(), "/api"), [new("Host", "git.example.com")], true);
        var result = await NewProbe().ProbeAsync(request, cancellationToken);
        var seen = tool.SingleRequest().RequestMessage;
        Assert.That((result.Outcome, seen.Method, seen.Headers?["Host"].ToString()), Is.EqualTo((ProbeOutcome.Succeeded, "POST", "git.example.com")));
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_SlowTool_TimedOutGoMessage(CancellationToken cancellationToken)
    {
        await using var tool = await ToolServer.StartAsync(async ctx => await Task.Delay(5_000, ctx.RequestAborted), null, cancellationToken);
        var result = await NewProbe("00:00:00.200").ProbeAsync(Get(tool.BaseAddress, "/slow"), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.TimedOut, Is.True);
            Assert.That(result.Message, Is.EqualTo($"Get \"{tool.BaseAddress}slow\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"));
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_StatusOnlyConditionAndNeverEndingBody_SucceedsWithoutReadingIt(CancellationToken cancellationToken)
    {
        // The tool sends its headers and a first chunk, then never finishes the body: reading it would end in the timeout.
        await using var tool = await ToolServer.StartAsync(async ctx =>
        {
            ctx.Response.StatusCode = 200;
            await ctx.Response.Body.WriteAsync(new byte[4096], ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
        }, null, cancellationToken);
        var probe = NewProbe("00:00:01");
        var statusOnly = await probe.ProbeAsync(Get(tool.BaseAddress, "/") with { Condition = CelCondition.Compile("statusCode == 200 && size(headers) >= 0").Condition }, cancellationToken);
        var readsBody = await probe.ProbeAsync(Get(tool.BaseAddress, "/") with { Condition = CelCondition.Compile("statusCode == 200 && bodyString.size() >= 0").Condition }, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((statusOnly.Outcome, statusOnly.StatusCode, statusOnly.Message), Is.EqualTo((ProbeOutcome.Succeeded, (int?)200, "status code 200")));
            Assert.That(readsBody.Outcome, Is.EqualTo(ProbeOutcome.TimedOut), "a condition that reads the body waits for it");
        }
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_NothingListening_ConnectionRefusedGoMessage(CancellationToken cancellationToken)
    {
        int port;
        await using (var tool = await ToolServer.StartAsync(_ => { }, cancellationToken))
        {
            port = tool.BaseAddress.Port;
        }

        var result = await NewProbe().ProbeAsync(new ProbeRequest("GET", new Uri($"http://127.0.0.1:{port}/"), [], true), cancellationToken);
        Assert.That((result.Outcome, result.Message), Is.EqualTo((ProbeOutcome.Unreachable, $"Get \"http://127.0.0.1:{port}/\": dial tcp 127.0.0.1:{port}: connect: connection refused")));
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_UnknownHost_NoSuchHostGoMessage(CancellationToken cancellationToken)
    {
        var result = await NewProbe().ProbeAsync(new ProbeRequest("GET", new Uri("https://no-such-host.invalid/"), [], true), cancellationToken);
        Assert.That((result.Outcome, result.Message), Is.EqualTo((ProbeOutcome.Unreachable, "Get \"https://no-such-host.invalid/\": dial tcp: lookup no-such-host.invalid: no such host")));
    }

    [Test, CancelAfter(10_000)]
    public async Task ProbeAsync_SelfSignedTls_UnknownAuthorityGoMessage(CancellationToken cancellationToken)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        await using var tool = await ToolServer.StartAsync(_ => Task.CompletedTask, certificate, cancellationToken);
        var url = new Uri($"https://127.0.0.1:{tool.BaseAddress.Port}/");
        var result = await NewProbe().ProbeAsync(new ProbeRequest("GET", url, [], true), cancellationToken);
        Assert.That((result.Outcome, result.Message), Is.EqualTo((ProbeOutcome.Unreachable, $"Get \"{url}\": tls: failed to verify certificate: x509: certificate signed by unknown authority")));
    }
}
