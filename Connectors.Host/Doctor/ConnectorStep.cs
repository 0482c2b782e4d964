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
        var ready = conditions.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
        if (ready?.Status == ConditionStatus.True)
        {
            return (StepResult.Ok(subject, "exists and is Ready"), connector);
        }

        var culprit = Culprit(conditions) ?? ready;
        var problem = culprit is null
            ? "is not Ready: it has no conditions yet; is the controller running? `kubectl -n <components-namespace> get deploy connectors-controller`"
            : $"is not Ready: {culprit.Type} is {culprit.Status}{(string.IsNullOrEmpty(culprit.Reason) ? string.Empty : $" ({culprit.Reason})")}"
                + $"{(string.IsNullOrEmpty(culprit.Message) ? string.Empty : ": " + culprit.Message)}; "
                + $"see `kubectl describe connector {request.Connector} -n {request.Namespace}` and docs/troubleshooting.md (The Connector is not Ready)";
        return (StepResult.Fail(subject, problem), connector);
    }

    /// <summary>The first condition other than Ready that is False, else the first that is Unknown (waiting on another).</summary>
    private static Condition? Culprit(IReadOnlyList<Condition> conditions)
    {
        var errors = conditions.Where(c => c.Type != ConditionTypes.Ready && string.IsNullOrEmpty(c.Severity)).ToList();
        return errors.FirstOrDefault(c => c.Status == ConditionStatus.False) ?? errors.FirstOrDefault(c => c.Status == ConditionStatus.Unknown);
    }
}
