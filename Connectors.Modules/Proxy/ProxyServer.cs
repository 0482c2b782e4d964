using Connectors.Modules.Observability;
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
    private ModuleListener? _listener;

    /// <summary>The address actually bound (useful when the port was 0).</summary>
    public Uri? Address { get; private set; }

    public string Name => "proxy-listener";

    public bool IsReady => Address is not null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A bare LF ends a header line for Kestrel by default (RFC 9112 2.2 allows it), but not for every tool behind
        // the proxy: a field hidden behind one is a way to smuggle a header past the proxy. Only CRLF is accepted.
        AppContext.SetSwitch("Microsoft.AspNetCore.Server.Kestrel.DisableHttp1LineFeedTerminators", true);
        var endpoint = ListenAddress.Parse(options.Value.Listen);
        _listener = await ModuleListener.StartAsync(loggerFactory, kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.KeepAliveTimeout = options.Value.IdleTimeout;
            kestrel.Limits.RequestHeadersTimeout = options.Value.HeadTimeout;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.AllowSynchronousIO = false;
            kestrel.Listen(endpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(connectMiddleware.Wrap);
            });
        }, pipeline.HandleAsync, cancellationToken);
        Address = new Uri(_listener.Urls.First());
        Log.Listening(_logger, Address);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _listener?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _listener?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(6000, LogLevel.Information, "Proxy listening on {Address}")]
        public static partial void Listening(ILogger logger, Uri address);
    }
}
