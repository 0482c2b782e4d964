using Connectors.Modules.Model;
using Connectors.Modules.Probes;

namespace Connectors.Modules.Controller;

/// <summary>
/// The structural rules a ConnectorClass must keep for its Connectors to be checked against it unambiguously:
/// every named list has non-empty, unique names; each auth probe belongs to a declared auth type; a Secret type
/// is a known one; each probe's <c>response.cel</c> keeps <see cref="CelLimits"/> (the class condition
/// <c>InvalidCEL</c> gives the same message). Used by the ConnectorClass admission webhook and by the Connector reconcile (a Connector of a
/// class that breaks them gets <c>ConnectorClassReady</c> False, reason <c>InvalidSpec</c>).
/// </summary>
internal static class ConnectorClassValidator
{
    /// <summary>Every problem of <paramref name="connectorClass"/>, each naming the field and the rule.</summary>
    public static List<string> Validate(ConnectorClass connectorClass)
    {
        var problems = ValidateNames(connectorClass);
        foreach (var (field, expression) in ClassCelConditions.Declared(connectorClass))
        {
            // Only the static limits: the parser itself must never see an expression beyond them (it overflows the
            // stack); a syntax error is the class's ProbesReady False/InvalidCEL, as before.
            if (CelLimits.Check(expression) is { } beyond)
            {
                problems.Add($"{field}.http.response.cel: {beyond}");
            }
        }

        return problems;
    }

    /// <summary>
    /// The problems of <paramref name="connectorClass"/> besides its CEL conditions (which the class's <c>ProbesReady</c>
    /// reports): the class reconciler's <c>SpecValid</c>.
    /// </summary>
    public static List<string> ValidateNames(ConnectorClass connectorClass)
    {
        ArgumentNullException.ThrowIfNull(connectorClass);
        var spec = connectorClass.Spec;
        var problems = new List<string>();
        Names("spec.addressExtensions", (spec.AddressExtensions ?? []).Select(p => p.Name), problems);
        Names("spec.params", (spec.Params ?? []).Select(p => p.Name), problems);
        var types = spec.Auth?.Types ?? [];
        Names("spec.auth.types", types.Select(t => (string?)t.Name), problems);
        for (var i = 0; i < types.Count; i++)
        {
            Names($"spec.auth.types[{i}].params", (types[i].Params ?? []).Select(p => p.Name), problems);
        }

        var probes = spec.AuthProbes ?? [];
        Names("spec.authProbes", probes.Select(p => (string?)p.AuthName), problems, "authName");
        for (var i = 0; i < probes.Count; i++)
        {
            if (probes[i].AuthName.Length > 0 && !types.Any(t => t.Name == probes[i].AuthName))
            {
                problems.Add($"spec.authProbes[{i}].authName: \"{probes[i].AuthName}\" is not declared in spec.auth.types");
            }

            Names($"spec.authProbes[{i}].params", (probes[i].Params ?? []).Select(p => p.Name), problems);
        }

        var configurations = spec.Configurations ?? [];
        Names("spec.configurations", configurations.Select(c => (string?)c.Name), problems);
        return problems;
    }

    private static void Names(string field, IEnumerable<string?> names, List<string> problems, string key = "name")
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var name in names)
        {
            if (string.IsNullOrEmpty(name))
            {
                problems.Add($"{field}[{index}].{key}: Required value");
            }
            else if (!seen.Add(name))
            {
                problems.Add($"{field}[{index}].{key}: Duplicate value: \"{name}\"");
            }

            index++;
        }
    }
}
