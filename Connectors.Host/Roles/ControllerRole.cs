using Connectors.Host.Cli;
using Connectors.Modules.Admission;
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
        new("--webhook-listen", "Admission:Listen", "Address of the HTTPS admission webhook listener (every replica serves)", "0.0.0.0:9443"),
        new("--webhook-cert-secret", "Admission:CertificateSecret", "Secret in the components namespace with the webhook serving certificate (created and renewed unless cert-manager owns it)", "connectors-webhook-cert"),
        new("--pod-image-pull-exposure", "Admission:ProxyExposure", "How kubelet reaches the proxy for images rewritten by the Pod webhook: ClusterIP or NodePort", "ClusterIP"),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddController();
        services.AddAdmission();
    }
}
