using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Observability;

/// <summary>
/// One module's own listener (health, proxy, CSI socket): a bare Kestrel server with the module's endpoints and one
/// request delegate, started, stopped within the host's shutdown grace, disposed. No web host, configuration or
/// per-request diagnostics of its own: each listener costs a Kestrel instance and nothing more (docs/decisions.md).
/// </summary>
public sealed class ModuleListener : IAsyncDisposable
{
    private readonly KestrelServer _server;
    private readonly ServiceProvider _services;

    private ModuleListener(KestrelServer server, ServiceProvider services)
    {
        _server = server;
        _services = services;
    }

    /// <summary>The bound addresses (the real port when 0 was asked for).</summary>
    public IReadOnlyCollection<string> Urls => [.. _server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []];

    /// <summary>Configures Kestrel with <paramref name="configureKestrel"/> and starts serving <paramref name="handler"/>.</summary>
    public static async Task<ModuleListener> StartAsync(
        ILoggerFactory loggerFactory, Action<KestrelServerOptions> configureKestrel, RequestDelegate handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configureKestrel);
        ArgumentNullException.ThrowIfNull(handler);
        var services = new ServiceCollection().AddSingleton(loggerFactory).BuildServiceProvider();
        var options = new KestrelServerOptions { AddServerHeader = false, ApplicationServices = services };
        configureKestrel(options);
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory);
        var server = new KestrelServer(Options.Create(options), transport, loggerFactory);
        try
        {
            await server.StartAsync(new RequestApplication(handler), cancellationToken);
        }
        catch
        {
            server.Dispose();
            await services.DisposeAsync();
            throw;
        }

        return new ModuleListener(server, services);
    }

    /// <summary>Stops accepting; in-flight requests may finish until <paramref name="cancellationToken"/> fires.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _server.Dispose();
        await _services.DisposeAsync();
    }
}
