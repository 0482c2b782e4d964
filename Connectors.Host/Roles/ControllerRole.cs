using Connectors.Host.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Host.Roles;

/// <summary><c>--role controller</c>.</summary>
internal sealed class ControllerRole : IRole
{
    public string Name => "controller";

    public IReadOnlyList<Flag> Flags { get; } = [];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }
}
