using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Observability;

/// <summary>Serves <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> on its own listener.</summary>
internal sealed partial class HealthServer(
    IOptions<ObservabilityOptions> options,
    IEnumerable<IReadinessCheck> checks,
    MetricsEndpoint metrics,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly IReadinessCheck[] _checks = [.. checks];
    private readonly ILogger _logger = loggerFactory.CreateLogger<HealthServer>();
    private ModuleListener? _listener;

    /// <summary>The address actually bound (useful when the port was 0).</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = ListenAddress.Parse(options.Value.HealthListen);
        _listener = await ModuleListener.StartAsync(loggerFactory, k => k.Listen(endpoint), HandleAsync, cancellationToken);
        Address = new Uri(_listener.Urls.First());
        Log.Listening(_logger, Address);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _listener?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _listener?.DisposeAsync() ?? ValueTask.CompletedTask;

    private Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            return TextAsync(context, StatusCodes.Status405MethodNotAllowed, "method not allowed\n");
        }

        return request.Path.Value switch
        {
            "/healthz" => lifetime.ApplicationStopping.IsCancellationRequested
                ? TextAsync(context, StatusCodes.Status503ServiceUnavailable, "stopping\n")
                : TextAsync(context, StatusCodes.Status200OK, "ok\n"),
            "/readyz" => ReadyAsync(context),
            "/metrics" => metrics.ServeAsync(context),
            _ => TextAsync(context, StatusCodes.Status404NotFound, "not found: try /healthz, /readyz or /metrics\n"),
        };
    }

    private Task ReadyAsync(HttpContext context)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return TextAsync(context, StatusCodes.Status503ServiceUnavailable, "stopping\n");
        }

        var waiting = _checks.Where(c => !c.IsReady).Select(c => c.Name).ToArray();
        return waiting.Length == 0
            ? TextAsync(context, StatusCodes.Status200OK, "ok\n")
            : TextAsync(context, StatusCodes.Status503ServiceUnavailable, "waiting for: " + string.Join(", ", waiting) + "\n");
    }

    private static Task TextAsync(HttpContext context, int status, string body, string contentType = "text/plain; charset=utf-8")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync(body, context.RequestAborted);
    }

    private static partial class Log
    {
        [LoggerMessage(9001, LogLevel.Information, "Health and metrics listening on {Address}")]
        public static partial void Listening(ILogger logger, Uri address);
    }
}
