using System.Net;
using System.Security.Cryptography.X509Certificates;
using Connectors.Modules.Proxy;
using Connectors.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Tests.Proxy;

[TestFixture]
public sealed class ProxyLifecycleTests
{
    private const string Token = "sa-token-life";
    private const string User = "system:serviceaccount:team:builder";

    [Test, CancelAfter(30_000)]
    public async Task StopAsync_RequestInFlight_CompletesBeforeShutdown(CancellationToken cancellationToken)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var origin = await LoopbackOrigin.StartAsync(async ctx =>
        {
            arrived.TrySetResult();
            await Task.Delay(500, ctx.RequestAborted);
            await ctx.Response.WriteAsync("finished", ctx.RequestAborted);
        }, cancellationToken);
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.AddConnector("team", "slow", origin.BaseAddress.ToString(), null);
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "slow");
        using var client = new HttpClient();

        var pending = client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(proxy.Address, "/namespaces/team/connectors/slow/x"))
        {
            Headers = { Authorization = new("Bearer", Token) },
        }, cancellationToken);
        await arrived.Task.WaitAsync(cancellationToken);
        await proxy.Services.GetRequiredService<ProxyServer>().StopAsync(cancellationToken);
        using var response = await pending;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await response.Content.ReadAsStringAsync(cancellationToken), Is.EqualTo("finished"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Connect_BlindTunnelsAllowed_NonMatchingHostTunnelledWithoutCredential(CancellationToken cancellationToken)
    {
        using var upstreamCa = new TestCertificates("upstream CA");
        await using var origin = await LoopbackOrigin.StartAsync(ctx => ctx.Response.WriteAsync("direct", ctx.RequestAborted), cancellationToken, upstreamCa.Server());
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken, new Dictionary<string, string?> { ["Proxy:AllowBlindTunnels"] = "true" });
        proxy.AddConnector("team", "other", "https://other.example", Secrets.Bearer("t", "never-sent"));
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "other");
        using var handler = new SocketsHttpHandler { Proxy = new WebProxy(proxy.Address) { Credentials = new NetworkCredential("team/other", Token) }, UseProxy = true };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(upstreamCa.Ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is not null && chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };
        using var client = new HttpClient(handler);

        var body = await client.GetStringAsync(origin.BaseAddress, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(body, Is.EqualTo("direct"), "the origin's own certificate was presented: no interception");
            Assert.That(origin.Seen.Single().Headers.ContainsKey("Authorization"), Is.False);
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Connect_CaSecretMissingThenCreated_503ThenIntercepted(CancellationToken cancellationToken)
    {
        using var proxyCa = new TestCertificates("proxy CA");
        await using var proxy = await ProxyHarness.StartAsync(cancellationToken);
        proxy.AddConnector("team", "k8s", "https://kube.example:6443", Secrets.Bearer("k8s-token", "cluster-token"));
        proxy.Reviews.AddToken(Token, User);
        proxy.Reviews.Grant(User, "team", "k8s");

        var (missing, text) = await ForwardProxyTests.RawConnectAsync(proxy, "kube.example:6443", "team/k8s", Token, cancellationToken);
        proxy.Directory.Put(proxyCa.ProxyCaSecret());
        var leaf = await ReadInterceptedCertificateAsync(proxy, proxyCa.Ca, "kube.example", 6443, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(missing, Is.EqualTo(503));
            Assert.That(text, Does.Contain("connectors-system/connectors-proxy-ca"));
            Assert.That(leaf.Issuer, Is.EqualTo(proxyCa.Ca.Subject));
            Assert.That(leaf.GetNameInfo(X509NameType.DnsName, false), Is.EqualTo("kube.example"));
            Assert.That(leaf.GetKeyAlgorithm(), Is.EqualTo("1.2.840.10045.2.1"), "ECDSA");
            Assert.That(leaf.NotAfter - leaf.NotBefore, Is.LessThanOrEqualTo(TimeSpan.FromHours(25)));
        }
    }

    /// <summary>CONNECTs by hand, then does a TLS handshake and returns the certificate the proxy presented.</summary>
    private static async Task<X509Certificate2> ReadInterceptedCertificateAsync(ProxyHarness proxy, X509Certificate2 proxyCa, string host, int port, CancellationToken cancellationToken)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(proxy.Address.Host, proxy.Address.Port, cancellationToken);
        var stream = tcp.GetStream();
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("team/k8s:" + Token));
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\nProxy-Authorization: Basic {auth}\r\n\r\n"), cancellationToken);
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("proxy closed before the CONNECT answer ended");
            }

            head.Add(one[0]);
        }

        Assert.That(System.Text.Encoding.ASCII.GetString([.. head]), Does.StartWith("HTTP/1.1 200"));
        // Accept exactly a chain to the proxy CA: the point is to read what the proxy presents.
        await using var tls = new System.Net.Security.SslStream(stream, false, (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(proxyCa);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is not null && chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        });
        await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions { TargetHost = host }, cancellationToken);
        return X509CertificateLoader.LoadCertificate(tls.RemoteCertificate!.GetRawCertData());
    }
}
