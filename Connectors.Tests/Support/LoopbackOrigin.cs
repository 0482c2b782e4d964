using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Tests.Support;

/// <summary>
/// A Kestrel origin on 127.0.0.1:0 (plain or TLS) that records the head of every request it receives, so tests
/// assert on what the upstream really saw.
/// </summary>
internal sealed class LoopbackOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackOrigin(WebApplication app, Uri address)
    {
        _app = app;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<SeenRequest> Seen { get; } = new();

    public static async Task<LoopbackOrigin> StartAsync(RequestDelegate handler, CancellationToken cancellationToken, X509Certificate2? certificate = null, Action<WebApplication>? configure = null)
    {
        var builder = Connectors.Modules.Observability.ServerBuilder.Create(NullLoggerFactory.Instance);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.Listen(System.Net.IPAddress.Loopback, 0, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        var app = builder.Build();
        LoopbackOrigin? origin = null;
        configure?.Invoke(app);
        app.Use(async (context, next) =>
        {
            origin!.Seen.Enqueue(new SeenRequest(
                context.Request.Method,
                context.Request.Host.Value ?? string.Empty,
                context.Request.Path.Value + context.Request.QueryString.Value,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? string.Empty));
            await next(context);
        });
        app.Run(handler);
        await app.StartAsync(cancellationToken);
        origin = new LoopbackOrigin(app, new Uri(app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
        return origin;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>The head of one request as the origin saw it.</summary>
    public sealed record SeenRequest(string Method, string Host, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string RawTarget);
}
