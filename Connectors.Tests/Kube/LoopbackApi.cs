using System.Net;
using System.Security.Cryptography.X509Certificates;
using Connectors.Modules.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Tests.Kube;

/// <summary>A Kestrel server on 127.0.0.1 that answers with a test's handler: for transport-level client tests (TLS, auth, status mapping).</summary>
public sealed class LoopbackApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackApi(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts the server; with <paramref name="certificate"/> it serves HTTPS, and with <paramref name="requireClientCertificate"/> it asks for a client certificate.</summary>
    public static async Task<LoopbackApi> StartAsync(RequestDelegate handler, CancellationToken cancellationToken, X509Certificate2? certificate = null, bool requireClientCertificate = false)
    {
        var builder = ServerBuilder.Create(NullLoggerFactory.Instance);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateMode = requireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.NoCertificate,
                    // The test checks the client certificate itself.
                    ClientCertificateValidation = (_, _, _) => true,
                });
            }
        }));
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(cancellationToken);
        return new LoopbackApi(app, new Uri(app.Urls.First().Replace("http://", certificate is null ? "http://" : "https://", StringComparison.Ordinal)));
    }

    /// <summary>A kubeconfig for this server: the given cluster fields and user fields as YAML flow-mapping entries.</summary>
    public string Kubeconfig(string clusterFields, string userFields)
    {
        var server = BaseAddress.ToString().TrimEnd('/');
        var cluster = clusterFields.Length > 0 ? ", " + clusterFields : string.Empty;
        return "apiVersion: v1\ncurrent-context: test\n"
            + "clusters: [{name: loopback, cluster: {server: \"" + server + "\"" + cluster + "}}]\n"
            + "contexts: [{name: test, context: {cluster: loopback, user: tester, namespace: team-a}}]\n"
            + "users: [{name: tester, user: {" + userFields + "}}]\n";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
