using Connectors.Modules.Controller;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;

namespace Connectors.Host.Doctor;

/// <summary>
/// Step 2b: the class's proxy Service (<c>spec.proxy.ref</c>, by default <c>connectors-proxy-service</c> in the
/// components namespace) and the Connector's <c>c-&lt;name&gt;</c> Service the controller makes for it exist.
/// </summary>
internal static class ProxyServiceStep
{
    public static async Task<IReadOnlyList<StepResult>> CheckAsync(
        KubeClient client, DoctorRequest request, Connector connector, ConnectorClass connectorClass, CancellationToken cancellationToken)
    {
        var proxy = connectorClass.Spec.Proxy;
        if (proxy is null)
        {
            return [StepResult.Ok("proxy service", $"connectorclass {connectorClass.Metadata.Name} has no spec.proxy: workloads reach the tool directly")];
        }

        var results = new List<StepResult>(2);
        if (proxy.Ref is { } reference)
        {
            var ns = string.IsNullOrEmpty(reference.Namespace) ? request.ComponentsNamespace : reference.Namespace;
            results.Add(await ServiceAsync(client, ns, reference.Name,
                $"install the proxy (`kubectl apply -k manifests/`), or check --components-namespace and the class's spec.proxy.ref", cancellationToken));
        }
        else
        {
            results.Add(StepResult.Ok("proxy service", $"connectorclass {connectorClass.Metadata.Name} names its proxy by URL ({proxy.Uri})"));
        }

        var own = ConnectorService.NameOf(request.Connector);
        results.Add(await ServiceAsync(client, request.Namespace, own,
            $"the controller creates it (condition ProxyServiceReady): is it running? `kubectl -n {request.ComponentsNamespace} get deploy connectors-controller`", cancellationToken));
        return results;
    }

    private static async Task<StepResult> ServiceAsync(KubeClient client, string ns, string name, string fix, CancellationToken cancellationToken)
    {
        var subject = $"service {ns}/{name}";
        var read = await client.GetAsync<Service>(ns, name, cancellationToken);
        return read.Outcome switch
        {
            KubeOutcome.Ok => StepResult.Ok(subject, "exists"),
            KubeOutcome.NotFound => StepResult.Fail(subject, "not found; " + fix),
            _ => StepResult.Fail(subject, ApiProblem.Describe(client, "read it", read.Outcome, read.Message, "get on services")),
        };
    }
}
