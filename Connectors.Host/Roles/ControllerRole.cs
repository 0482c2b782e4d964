using Connectors.Host.Cli;
using Connectors.Modules.Controller;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Host.Roles;

/// <summary><c>--role controller</c>: reconciles ConnectorClasses and Connectors, probes tools, allocates proxy addresses.</summary>
internal sealed class ControllerRole : IRole
{
    public string Name => "controller";

    public IReadOnlyList<Flag> Flags { get; } =
    [
        new("--probe-interval", "Controller:ProbeInterval", "How often each Connector and ConnectorClass is probed again, plus up to 10% jitter (Go duration)", "5m"),
        new("--probe-timeout", "Probes:Timeout", "Upper bound of one probe request (Go duration)", "10s"),
        new("--workers", "Controller:Workers", "Connector reconcile workers", "4"),
        new("--probe-concurrency", "Controller:ProbeConcurrency", "Probes in flight at once", "64"),
        new("--leader-elect", "Controller:LeaderElect", "Reconcile only while holding the Lease (needed with more than one replica): true or false", "true"),
        new("--leader-elect-lease", "Kube:LeaderElection:LeaseName", "Name of the leader election Lease in the components namespace", "connectors-controller"),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddController();
}
