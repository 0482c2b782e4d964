using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Connectors.Modules.Model;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Connectors.Tests.Proxy;

[TestFixture]
public sealed class ForwardProxyTests
{
    private const string Token = "sa-token-fwd";
    private const string User = "system:serviceaccount:team:builder";

    private static HttpClient ClientVia(ProxyHarness proxy, string? user, string? token, X509Certificate2Collection? trust = null)
    {
        var handler = new SocketsHttpHandler
        {
            Proxy = new WebProxy(proxy.Address) { Credentials = user is null ? null : new NetworkCredential(user, token), BypassProxyOnLocal = false },
            UseProxy = true,
            AllowAutoRedirect = false,
        };
        if (trust is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(trust);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            };
        }

        return new HttpClient(handler);
    }

    [Test, CancelAfter(20_000)]
    public async Task AbsoluteForm_MatchingTarget_ChallengesThenInjects(CancellationToken cancellationToken)
    {
        await using var origin = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync("ok", ctx.RequestAborted), cancellationToken);
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.AddConnector("team", "api", origin.BaseAddress + "v1", Secrets.Bearer("api-token", "real-secret-token"));
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "api");
        using var anonymous = ClientVia(proxy, null, null);
        using var client = ClientVia(proxy, "team/api", Token);

        using var challenged = await anonymous.GetAsync(new Uri(origin.BaseAddress, "/v1/things"), cancellationToken);
        using var inside = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(origin.BaseAddress, "/v1/things?a=b"))
        {
            Headers = { Authorization = new("Bearer", "fake-token") },
        }, cancellationToken);
        using var outside = await client.GetAsync(new Uri(origin.BaseAddress, "/v2/other"), cancellationToken);

        var seen = origin.Seen.ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)challenged.StatusCode, Is.EqualTo(407));
            Assert.That(challenged.Headers.ProxyAuthenticate.ToString(), Is.EqualTo("Basic realm=\"connectors\""));
            Assert.That(inside.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(outside.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(seen, Has.Length.EqualTo(2));
            Assert.That(seen[0].PathAndQuery, Is.EqualTo("/v1/things?a=b"));
            Assert.That(seen[0].Headers["Authorization"], Is.EqualTo("Bearer real-secret-token"));
            Assert.That(seen[0].Headers.ContainsKey("Proxy-Authorization"), Is.False);
            Assert.That(seen[1].Headers.ContainsKey("Authorization"), Is.False, "a target outside the Connector's address never gets the credential");
            Assert.That(proxy.Logs, Does.Not.Contain(Token).And.Not.Contain("real-secret-token").And.Not.Contain("fake-token"));
        }
    }

    [TestCase(false, 403)]
    [TestCase(true, 200)]
    [CancelAfter(20_000)]
    public async Task AbsoluteForm_ForeignOrigin_RefusedUnlessBlindTunnelsAllowed(bool allowBlind, int expected, CancellationToken cancellationToken)
    {
        await using var tool = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync("tool", ctx.RequestAborted), cancellationToken);
        await using var foreign = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync("foreign", ctx.RequestAborted), cancellationToken);
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken, new Dictionary<string, string?> { ["Proxy:AllowBlindTunnels"] = allowBlind ? "true" : "false" });
        proxy.AddConnector("team", "api", tool.BaseAddress + "v1", Secrets.Bearer("api-token", "real-secret-token"));
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "api");
        using var client = ClientVia(proxy, "team/api", Token);

        using var response = await client.GetAsync(new Uri(foreign.BaseAddress, "/internal"), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(expected));
            if (allowBlind)
            {
                Assert.That(foreign.Seen.Single().Headers.ContainsKey("Authorization"), Is.False);
            }
            else
            {
                Assert.That(body, Does.Contain("is not allowed: it matches no address of connector(s) team/api"));
                Assert.That(foreign.Seen, Is.Empty, "nothing reached the foreign host");
            }
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task AbsoluteForm_BadTokenUnknownConnectorDenied_407_404_403(CancellationToken cancellationToken)
    {
        await using var origin = await LoopbackOrigin.StartAsync(ctx => Task.CompletedTask, cancellationToken);
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.AddConnector("team", "api", origin.BaseAddress.ToString(), null);
        proxy.Reviews.AddToken(Token, User);
        using var bad = ClientVia(proxy, "team/api", "nope");
        using var unknown = ClientVia(proxy, "team/missing", Token);
        using var denied = ClientVia(proxy, "team/api", Token);

        using var r1 = await bad.GetAsync(origin.BaseAddress, cancellationToken);
        using var r2 = await unknown.GetAsync(origin.BaseAddress, cancellationToken);
        using var r3 = await denied.GetAsync(origin.BaseAddress, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)r1.StatusCode, Is.EqualTo(407));
            Assert.That((int)r2.StatusCode, Is.EqualTo(404));
            Assert.That((int)r3.StatusCode, Is.EqualTo(403));
            Assert.That(origin.Seen, Is.Empty);
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Connect_MatchingTlsTarget_InterceptsAndInjects(CancellationToken cancellationToken)
    {
        using var upstreamCa = new TestCertificates("upstream CA");
        using var proxyCa = new TestCertificates("proxy CA");
        await using var origin = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync("secure " + ctx.Request.Path, ctx.RequestAborted), cancellationToken, upstreamCa.Server());
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.Directory.Put(proxyCa.ProxyCaSecret());
        proxy.AddConnector("team", "k8s", origin.BaseAddress.ToString(), Secrets.Bearer("k8s-token", "cluster-token"));
        // The tool's private CA comes from the Connector's caCertSecretRef.
        proxy.Directory.Put(Secrets.Of("k8s-ca", "Opaque", ("ca.crt", upstreamCa.CaPem)).WithNamespace("team"));
        proxy.Directory.GetConnector("team", "k8s")!.Spec.CaCertSecretRef = new() { Name = "k8s-ca" };
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "k8s");
        using var client = ClientVia(proxy, "team/k8s", Token, [proxyCa.Ca]);

        var bodies = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            bodies.Add(await client.GetStringAsync(new Uri(origin.BaseAddress, "/api/v1/pods"), cancellationToken));
        }

        var seen = origin.Seen.ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(bodies, Is.All.EqualTo("secure /api/v1/pods"));
            Assert.That(seen.Select(s => s.Headers["Authorization"]), Is.All.EqualTo("Bearer cluster-token"));
            Assert.That(proxy.Logs, Does.Contain("team/k8s").And.Not.Contain(Token).And.Not.Contain("cluster-token"));
        }
    }

    [TestCase(false, 502)]
    [TestCase(true, 200)]
    [CancelAfter(30_000)]
    public async Task Connect_PrivateCaInTheLabelledPool_TrustedOnlyWithTheFlag(bool flag, int expected, CancellationToken cancellationToken)
    {
        using var upstreamCa = new TestCertificates("pool CA");
        using var proxyCa = new TestCertificates("proxy CA");
        await using var origin = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync("pooled", ctx.RequestAborted), cancellationToken, upstreamCa.Server());
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.Directory.Put(proxyCa.ProxyCaSecret());
        proxy.Directory.Put(new ConfigMap
        {
            Metadata = new ObjectMeta { Name = WellKnown.ConfigMapName, Namespace = WellKnown.DefaultComponentsNamespace },
            Data = new() { ["enable-custom-ca-certs"] = flag ? "true" : "false" },
        });
        var pool = Secrets.Of("corporate-ca", "Opaque", ("ca.crt", upstreamCa.CaPem)).WithNamespace(WellKnown.DefaultComponentsNamespace);
        pool.Metadata.Labels = new() { [WellKnown.CaCertLabel] = "true" };
        proxy.Directory.Put(pool);
        proxy.AddConnector("team", "k8s", origin.BaseAddress.ToString(), Secrets.Bearer("k8s-token", "cluster-token"));
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "k8s");
        using var client = ClientVia(proxy, "team/k8s", Token, [proxyCa.Ca]);

        using var response = await client.GetAsync(new Uri(origin.BaseAddress, "/api"), cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(expected));
            Assert.That(origin.Seen.Select(s => s.Headers["Authorization"]), Is.All.EqualTo("Bearer cluster-token"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Connect_NonMatchingHost_403WithReason(CancellationToken cancellationToken)
    {
        using var proxyCa = new TestCertificates("proxy CA");
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.Directory.Put(proxyCa.ProxyCaSecret());
        proxy.AddConnector("team", "k8s", "https://kube.example:6443", Secrets.Bearer("k8s-token", "cluster-token"));
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "k8s");

        var (status, text) = await RawConnectAsync(proxy, "elsewhere.example:443", "team/k8s", Token, cancellationToken);
        var (missing, _) = await RawConnectAsync(proxy, "kube.example:6443", null, null, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(403));
            Assert.That(text, Does.Contain("matches no address of connector(s) team/k8s"));
            Assert.That(missing, Is.EqualTo(407));
        }
    }

    /// <summary>Sends a CONNECT by hand and reads the status line and body.</summary>
    internal static async Task<(int Status, string Text)> RawConnectAsync(ProxyHarness proxy, string authority, string? user, string? token, CancellationToken cancellationToken)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(proxy.Address.Host, proxy.Address.Port, cancellationToken);
        var stream = tcp.GetStream();
        var auth = user is null ? string.Empty : "Proxy-Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{token}")) + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n{auth}\r\n"), cancellationToken);
        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync(cancellationToken);
        return (int.Parse(text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), text);
    }
}
