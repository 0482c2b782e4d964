using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Connectors.Modules.Templates;

namespace Connectors.Host.Doctor;

/// <summary>
/// <c>connectors doctor</c>: checks, in order, each link a pipeline using a Connector depends on, and reports one
/// line per step as it goes. A step whose prerequisite failed is reported as <c>skip</c>, naming it.
/// </summary>
internal sealed class Diagnosis(KubeClient client, HttpMessageInvoker http, ITemplateRenderer templates, DoctorReport report)
{
    public async Task RunAsync(DoctorRequest request, CancellationToken cancellationToken)
    {
        var (connectorResult, connector) = await ConnectorStep.CheckAsync(client, request, cancellationToken);
        await report.AddAsync(connectorResult);
        if (connector is null)
        {
            await SkipAllAsync(request);
            return;
        }

        var (classResult, connectorClass) = await ClassStep.CheckAsync(client, connector, cancellationToken);
        await report.AddAsync(classResult);
        var servicesOk = await CheckServicesAsync(request, connector, connectorClass, cancellationToken);
        var access = await report.AddAsync(await AccessStep.CheckAsync(client, request, cancellationToken));
        var (tokenResult, token) = await TokenStep.CheckAsync(client, request, connector, cancellationToken);
        await report.AddAsync(tokenResult);
        await report.AddAsync(await CheckProxyAsync(request, connector, connectorClass, servicesOk, access, tokenResult, token, cancellationToken));
        if (request.Target is { } target)
        {
            await report.AddAsync(TargetStep.Check(connector, target));
        }

        if (connectorClass is null)
        {
            await report.AddAsync(StepResult.Skip("configurations", "needs the connectorclass"));
            return;
        }

        foreach (var rendered in await RenderStep.CheckAsync(client, request, connector, connectorClass, token, templates, cancellationToken))
        {
            await report.AddAsync(rendered);
        }
    }

    private async Task SkipAllAsync(DoctorRequest request)
    {
        string[] later = request.Target is null
            ? ["connectorclass", "proxy service", "rbac", "token", "proxy", "configurations"]
            : ["connectorclass", "proxy service", "rbac", "token", "proxy", "target", "configurations"];
        foreach (var step in later)
        {
            await report.AddAsync(StepResult.Skip(step, "needs the connector"));
        }
    }

    /// <summary>Reports the proxy Services; true when they all exist.</summary>
    private async Task<bool> CheckServicesAsync(DoctorRequest request, Connector connector, ConnectorClass? connectorClass, CancellationToken cancellationToken)
    {
        if (connectorClass is null)
        {
            await report.AddAsync(StepResult.Skip("proxy service", "needs the connectorclass"));
            return false;
        }

        var services = await ProxyServiceStep.CheckAsync(client, request, connector, connectorClass, cancellationToken);
        foreach (var service in services)
        {
            await report.AddAsync(service);
        }

        return services.All(s => s.Outcome == StepOutcome.Ok);
    }

    private async Task<StepResult> CheckProxyAsync(
        DoctorRequest request, Connector connector, ConnectorClass? connectorClass, bool servicesOk, StepResult access, StepResult tokenResult, string? token, CancellationToken cancellationToken)
    {
        const string Subject = "proxy";
        if (connectorClass is null)
        {
            return StepResult.Skip(Subject, "needs the connectorclass");
        }

        if (connectorClass.Spec.Proxy is null)
        {
            return StepResult.Ok(Subject, $"connectorclass {connectorClass.Metadata.Name} has no proxy: nothing to check");
        }

        if (connector.Status?.Proxy?.HttpAddress?.Url is not { Length: > 0 } address)
        {
            return StepResult.Fail(Subject, "the Connector has no proxy address yet (status.proxy.httpAddress.url): the controller writes it once "
                + "ProxyServiceReady is True; see the connector step");
        }

        var missing = !servicesOk ? "the proxy services"
            : access.Outcome != StepOutcome.Ok ? "the rbac step"
            : tokenResult.Outcome != StepOutcome.Ok || token is null ? "a token that passes review"
            : null;
        return missing is null
            ? await ProxyStep.CheckAsync(http, request, address, token!, cancellationToken)
            : StepResult.Skip(Subject + " " + address, "needs " + missing);
    }
}
