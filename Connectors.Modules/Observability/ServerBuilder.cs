using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Observability;

/// <summary>
/// Creates the small Kestrel applications each module runs on its own listener (health, proxy, CSI socket,
/// embedded API), sharing the process's logger factory and nothing else.
/// </summary>
public static class ServerBuilder
{
    public static WebApplicationBuilder Create(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        // The empty builder: no configuration files or watchers, no routing, no host filtering; each listener is
        // one request delegate, which keeps the idle memory of a role low (docs/benchmarks.md, csi-node idle RSS).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            Args = [],
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore();
        builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        return builder;
    }
}
