using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Observability;

/// <summary>
/// One module's own Kestrel listener (health, proxy, CSI socket): built with <see cref="ServerBuilder"/>, started,
/// stopped within the host's shutdown grace, disposed. Modules keep only what differs: endpoints and handlers.
/// </summary>
public sealed class ModuleListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ModuleListener(WebApplication app) => _app = app;

    /// <summary>The bound addresses (the real port when 0 was asked for).</summary>
    public IReadOnlyCollection<string> Urls => [.. _app.Urls];

    /// <summary>Builds the application with <paramref name="configureKestrel"/>, maps it with <paramref name="map"/>, and starts it.</summary>
    public static async Task<ModuleListener> StartAsync(
        ILoggerFactory loggerFactory, Action<KestrelServerOptions> configureKestrel, Action<WebApplication> map, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(map);
        var builder = ServerBuilder.Create(loggerFactory);
        builder.WebHost.ConfigureKestrel(configureKestrel);
        var app = builder.Build();
        map(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new ModuleListener(app);
    }

    /// <summary>Stops accepting; in-flight requests may finish until <paramref name="cancellationToken"/> fires.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
