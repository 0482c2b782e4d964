using Connectors.Modules.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Admission;

/// <summary>
/// The HTTPS listener of the admission webhooks, on every controller replica (not only the leader): the
/// certificate comes from <see cref="WebhookCertificateKeeper"/> per handshake, so a renewal needs no restart.
/// </summary>
internal sealed partial class WebhookServer(
    AdmissionOptions options,
    AdmissionHandler handler,
    WebhookCertificateKeeper certificates,
    ILoggerFactory loggerFactory) : IHostedService, IReadinessCheck, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<WebhookServer>();
    private WebApplication? _app;

    /// <summary>The address actually bound (useful when the port was 0).</summary>
    public Uri? Address { get; private set; }

    public string Name => "webhook-listener";

    public bool IsReady => Address is not null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = ListenAddress.Parse(options.Listen);
        var https = new HttpsConnectionAdapterOptions { ServerCertificateSelector = (_, _) => certificates.Current };
        // A web application rather than a bare ModuleListener: Kestrel's HTTPS needs its services (metrics, TLS).
        var builder = ServerBuilder.Create(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 4 << 20;
            kestrel.Listen(endpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(https);
            });
        });
        var app = builder.Build();
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        Address = new Uri(app.Urls.First());
        Log.Listening(_logger, Address);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _app?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _app?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(10000, LogLevel.Information, "Admission webhooks listening on {Address}")]
        public static partial void Listening(ILogger logger, Uri address);
    }
}
