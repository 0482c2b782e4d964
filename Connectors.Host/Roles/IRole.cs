using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Host.Roles;

/// <summary>A role composes the modules it needs; modules never know which role they run in.</summary>
internal interface IRole
{
    /// <summary>The name given to <c>--role</c>.</summary>
    string Name { get; }

    /// <summary>Flags only this role reads.</summary>
    IReadOnlyList<Cli.Flag> Flags { get; }

    void AddServices(IServiceCollection services, IConfiguration configuration);
}
