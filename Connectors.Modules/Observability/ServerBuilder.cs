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
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        return builder;
    }
}
