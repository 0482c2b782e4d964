using Connectors.Modules.Kube;
using Connectors.Modules.Model;

namespace Connectors.Host.Doctor;

/// <summary>Step 1: the Connector exists and is Ready; otherwise its failing condition (type, status, reason, message).</summary>
internal static class ConnectorStep
{
    public static async Task<(StepResult Result, Connector? Connector)> CheckAsync(KubeClient client, DoctorRequest request, CancellationToken cancellationToken)
    {
        var subject = "connector " + request.ConnectorKey;
        var read = await client.GetAsync<Connector>(request.Namespace, request.Connector, cancellationToken);
        if (read.Outcome == KubeOutcome.NotFound)
        {
            return (StepResult.Fail(subject, $"not found; list the Connectors with `kubectl get connectors -n {request.Namespace}` and check --namespace and --connector"), null);
        }

        if (!read.IsOk)
        {
            return (StepResult.Fail(subject, ApiProblem.Describe(client, "read it", read.Outcome, read.Message, "get on connectors.connectors.alauda.io")), null);
        }

        var connector = read.Value!;
        var conditions = connector.Status?.Conditions ?? [];
        if (ConditionText.IsReady(conditions))
        {
            return (StepResult.Ok(subject, "exists and is Ready"), connector);
        }

        var problem = ConditionText.Culprit(conditions) is { } culprit
            ? $"is not Ready: {ConditionText.Describe(culprit)}; see `kubectl describe connector {request.Connector} -n {request.Namespace}` "
                + "and docs/troubleshooting.md (The Connector is not Ready)"
            : $"is not Ready: it has no conditions yet; is the controller running? `kubectl -n {request.ComponentsNamespace} get deploy connectors-controller`";
        return (StepResult.Fail(subject, problem), connector);
    }
}
