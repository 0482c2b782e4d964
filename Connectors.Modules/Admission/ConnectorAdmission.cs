using System.Text.Json;
using System.Text.Json.Nodes;
using Connectors.Modules.Controller;
using Connectors.Modules.Model;

namespace Connectors.Modules.Admission;

/// <summary>
/// The validating webhook's rules for Connectors and ConnectorClasses: exactly the reconciler's validation
/// (<see cref="ConnectorValidator"/>, <see cref="ConnectorClassValidator"/>), so what <c>kubectl apply</c> refuses is
/// what would otherwise become <c>InvalidSpec</c>. A Connector whose class does not exist (yet) is admitted with a
/// warning: classes and Connectors are often applied together, and the reconciler reports the missing class.
/// Deletes, objects being deleted and updates that leave the spec alone are always admitted, so an object made
/// invalid by a later class change can still get labels, finalizer removals and its deletion.
/// </summary>
internal static class ConnectorAdmission
{
    public static AdmissionDecision ReviewConnector(JsonObject request, Func<string, ConnectorClass?> classes)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(classes);
        if (Exempt(request))
        {
            return AdmissionDecision.Allow();
        }

        Connector connector;
        try
        {
            connector = ModelJson.FromNode<Connector>(request["object"]!);
        }
        catch (JsonException e)
        {
            return AdmissionDecision.Deny("the Connector does not decode: " + e.Message);
        }

        var name = connector.Spec.ConnectorClassName;
        if (string.IsNullOrEmpty(name))
        {
            return AdmissionDecision.Deny("spec.connectorClassName is required");
        }

        if (classes(name) is not { } connectorClass)
        {
            return AdmissionDecision.Allow($"connectorclass.connectors.alauda.io \"{name}\" not found: the Connector is not Ready until it exists");
        }

        if (ConnectorClassValidator.Validate(connectorClass) is { Count: > 0 } classProblems)
        {
            return AdmissionDecision.Deny($"connectorclass \"{name}\" is invalid: {string.Join("; ", classProblems)}");
        }

        var problems = ConnectorValidator.Validate(connector, connectorClass);
        return problems.Count == 0 ? AdmissionDecision.Allow() : AdmissionDecision.Deny(string.Join("; ", problems));
    }

    public static AdmissionDecision ReviewConnectorClass(JsonObject request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Exempt(request))
        {
            return AdmissionDecision.Allow();
        }

        ConnectorClass connectorClass;
        try
        {
            connectorClass = ModelJson.FromNode<ConnectorClass>(request["object"]!);
        }
        catch (JsonException e)
        {
            return AdmissionDecision.Deny("the ConnectorClass does not decode: " + e.Message);
        }

        var problems = ConnectorClassValidator.Validate(connectorClass);
        return problems.Count == 0 ? AdmissionDecision.Allow() : AdmissionDecision.Deny(string.Join("; ", problems));
    }

    private static bool Exempt(JsonObject request)
    {
        var operation = (string?)request["operation"];
        if (operation is not ("CREATE" or "UPDATE") || request["object"] is not JsonObject obj)
        {
            return true;
        }

        return obj["metadata"]?["deletionTimestamp"] is not null
            || operation == "UPDATE" && request["oldObject"] is JsonObject old && JsonNode.DeepEquals(old["spec"], obj["spec"]);
    }
}
