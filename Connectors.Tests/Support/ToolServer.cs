using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Connectors.Tests.Support;

/// <summary>
/// A fake tool: Kestrel on 127.0.0.1 (random port, optional TLS) answering with a handler, recording every
/// request's method, path with query, and headers.
/// </summary>
public sealed class ToolServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ToolServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary><c>http://127.0.0.1:port</c> (no trailing slash).</summary>
    public Uri BaseAddress { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static Task<ToolServer> StartAsync(Func<HttpContext, Task> handler, CancellationToken cancellationToken) =>
        StartAsync(handler, null, cancellationToken);

    public static Task<ToolServer> StartAsync(Action<HttpContext> handler, CancellationToken cancellationToken) =>
        StartAsync(ctx =>
        {
            handler(ctx);
            return Task.CompletedTask;
        }, null, cancellationToken);

    public static async Task<ToolServer> StartAsync(Func<HttpContext, Task> handler, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            if (certificate is not null)
            {
                l.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        ToolServer? server = null;
        app.Run(async ctx =>
        {
            server!.Requests.Enqueue(new RecordedRequest(
                ctx.Request.Method,
                ctx.Request.Path + ctx.Request.QueryString,
                ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            await handler(ctx);
        });
        await app.StartAsync(cancellationToken);
        var address = app.Urls.First();
        server = new ToolServer(app, new Uri(address.TrimEnd('/')));
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>One request a <see cref="ToolServer"/> saw.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers);
