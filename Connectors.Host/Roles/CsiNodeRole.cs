using Connectors.Host.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Host.Roles;

/// <summary><c>--role csi-node</c>.</summary>
internal sealed class CsiNodeRole : IRole
{
    public string Name => "csi-node";

    public IReadOnlyList<Flag> Flags { get; } = [];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }
}
