using Connectors.Modules.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Proxy;

/// <summary>
/// The proxy listener: plain HTTP/1.1 with keep-alive on <see cref="ProxyOptions.Listen"/>, CONNECT taken by
/// <see cref="ConnectMiddleware"/>, every request served by <see cref="ProxyPipeline"/>. Stopping waits for
/// in-flight requests until the host's shutdown grace ends.
/// </summary>
internal sealed partial class ProxyServer(
    IOptions<ProxyOptions> options,
    ConnectMiddleware connectMiddleware,
    ProxyPipeline pipeline,
    ILoggerFactory loggerFactory) : IHostedService, IReadinessCheck, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<ProxyServer>();
    private WebApplication? _app;

    /// <summary>The address actually bound (useful when the port was 0).</summary>
    public Uri? Address { get; private set; }

    public string Name => "proxy-listener";

    public bool IsReady => Address is not null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = ListenAddress.Parse(options.Value.Listen);
        var builder = ServerBuilder.Create(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.KeepAliveTimeout = options.Value.IdleTimeout;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.AllowSynchronousIO = false;
            kestrel.Listen(endpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(connectMiddleware.Wrap);
            });
        });
        var app = builder.Build();
        app.Run(pipeline.HandleAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        Address = new Uri(app.Urls.First());
        Log.Listening(_logger, Address);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(6000, LogLevel.Information, "Proxy listening on {Address}")]
        public static partial void Listening(ILogger logger, Uri address);
    }
}
