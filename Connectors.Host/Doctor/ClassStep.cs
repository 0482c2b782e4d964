using Connectors.Modules.Kube;
using Connectors.Modules.Model;

namespace Connectors.Host.Doctor;

/// <summary>Step 2a: the Connector's ConnectorClass exists and is Ready.</summary>
internal static class ClassStep
{
    public static async Task<(StepResult Result, ConnectorClass? Class)> CheckAsync(KubeClient client, Connector connector, CancellationToken cancellationToken)
    {
        var name = connector.Spec.ConnectorClassName;
        if (string.IsNullOrEmpty(name))
        {
            return (StepResult.Fail("connectorclass", $"connector {connector.Metadata.Namespace}/{connector.Metadata.Name} has no spec.connectorClassName; set it to one of `kubectl get connectorclasses`"), null);
        }

        var subject = "connectorclass " + name;
        var read = await client.GetAsync<ConnectorClass>(null, name, cancellationToken);
        if (read.Outcome == KubeOutcome.NotFound)
        {
            return (StepResult.Fail(subject, "not found; install it (the built-in classes: `kubectl apply -f manifests/connectorclasses/`) or set the Connector's spec.connectorClassName to one of `kubectl get connectorclasses`"), null);
        }

        if (!read.IsOk)
        {
            return (StepResult.Fail(subject, ApiProblem.Describe(client, "read it", read.Outcome, read.Message, "get on connectorclasses.connectors.alauda.io")), null);
        }

        var connectorClass = read.Value!;
        var conditions = connectorClass.Status?.Conditions ?? [];
        if (ConditionText.IsReady(conditions))
        {
            return (StepResult.Ok(subject, "exists and is Ready"), connectorClass);
        }

        var problem = ConditionText.Culprit(conditions) is { } culprit
            ? $"is not Ready: {ConditionText.Describe(culprit)}; see `kubectl describe connectorclass {name}`"
            : "is not Ready: it has no conditions yet; is the controller running?";
        return (StepResult.Fail(subject, problem), connectorClass);
    }
}
