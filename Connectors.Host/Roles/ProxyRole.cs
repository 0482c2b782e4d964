using Connectors.Host.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Host.Roles;

/// <summary><c>--role proxy</c>.</summary>
internal sealed class ProxyRole : IRole
{
    public string Name => "proxy";

    public IReadOnlyList<Flag> Flags { get; } = [];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }
}
