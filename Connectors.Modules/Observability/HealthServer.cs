using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Observability;

/// <summary>Serves <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> on its own listener.</summary>
internal sealed partial class HealthServer(
    IOptions<ObservabilityOptions> options,
    IEnumerable<IReadinessCheck> checks,
    MetricsCollector collector,
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
        _listener = await ModuleListener.StartAsync(loggerFactory, k => k.Listen(endpoint), app =>
        {
            app.MapGet("/healthz", () => lifetime.ApplicationStopping.IsCancellationRequested
                ? Results.Text("stopping\n", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ok\n"));
            app.MapGet("/readyz", Ready);
            app.MapGet("/metrics", Metrics);
        }, cancellationToken);
        Address = new Uri(_listener.Urls.First());
        Log.Listening(_logger, Address);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _listener?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _listener?.DisposeAsync() ?? ValueTask.CompletedTask;

    private IResult Ready()
    {
        var waiting = _checks.Where(c => !c.IsReady).Select(c => c.Name).ToArray();
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Results.Text("stopping\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return waiting.Length == 0
            ? Results.Text("ok\n")
            : Results.Text("waiting for: " + string.Join(", ", waiting) + "\n", statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private async Task Metrics(HttpContext context)
    {
        var text = new StringWriter(new StringBuilder(4096));
        PrometheusTextWriter.Write(text, collector.Snapshot());
        context.Response.ContentType = PrometheusTextWriter.ContentType;
        await context.Response.WriteAsync(text.ToString(), context.RequestAborted);
    }

    private static partial class Log
    {
        [LoggerMessage(9001, LogLevel.Information, "Health and metrics listening on {Address}")]
        public static partial void Listening(ILogger logger, Uri address);
    }
}
