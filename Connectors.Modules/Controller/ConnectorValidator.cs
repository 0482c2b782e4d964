using System.Text.Json;
using System.Text.Json.Nodes;
using Connectors.Modules.Model;

namespace Connectors.Modules.Controller;

/// <summary>
/// The checks the original does in its Connector admission webhook, done here at reconcile time: the problems
/// become a False <c>ConnectorClassReady</c> condition (reason <c>InvalidSpec</c>) instead of a rejected request.
/// </summary>
internal static class ConnectorValidator
{
    /// <summary>Every problem of <paramref name="connector"/> against <paramref name="connectorClass"/>, as user-facing sentences.</summary>
    public static List<string> Validate(Connector connector, ConnectorClass connectorClass)
    {
        var problems = new List<string>();
        var spec = connector.Spec;
        ValidateAddress(spec.Address, problems);
        ValidateAuth(spec, connectorClass, problems);
        ValidateParams("spec.params", spec.Params, connectorClass.Spec.Params, problems);
        ValidateExtensions(spec, connectorClass.Spec.AddressExtensions ?? [], problems);
        ValidateDepth("spec.params", spec.Params, problems);
        ValidateDepth("spec.auth.params", spec.Auth?.Params, problems);
        ValidateDepth("spec.addressExtensions", spec.AddressExtensions, problems);
        return problems;
    }

    /// <summary>
    /// How deep a param value may nest: the API server stores any depth, but the Connector is serialized again (template
    /// data, at System.Text.Json's 64 levels) with about 8 levels around each value.
    /// </summary>
    public const int MaxValueDepth = 48;

    /// <summary>Whether <paramref name="value"/> is an absolute <c>http</c> or <c>https</c> URL with a host.</summary>
    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;

    private static void ValidateAddress(string? address, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            problems.Add("spec.address is required");
        }
        else if (!IsHttpUrl(address))
        {
            problems.Add($"spec.address \"{address}\" is not an http or https URL");
        }
    }

    private static void ValidateAuth(ConnectorSpec spec, ConnectorClass connectorClass, List<string> problems)
    {
        var types = connectorClass.Spec.Auth?.Types ?? [];
        var name = spec.Auth?.Name;
        if (string.IsNullOrEmpty(name))
        {
            if (types.Count > 0)
            {
                problems.Add($"spec.auth.name is required: connectorclass \"{connectorClass.Metadata.Name}\" declares {Names(types.Select(t => t.Name))}");
            }

            return;
        }

        if (!types.Any(t => t.Name == name))
        {
            problems.Add(types.Count == 0
                ? $"spec.auth.name \"{name}\" is not declared by connectorclass \"{connectorClass.Metadata.Name}\", which declares no auth types"
                : $"spec.auth.name \"{name}\" is not declared by connectorclass \"{connectorClass.Metadata.Name}\": want one of {Names(types.Select(t => t.Name))}");
            return;
        }

        var probe = connectorClass.Spec.AuthProbes?.FirstOrDefault(p => p.AuthName == name);
        ValidateParams("spec.auth.params", spec.Auth?.Params, probe?.Params, problems);
    }

    private static void ValidateParams(string field, List<NamedValue>? given, List<ParamSpec>? declared, List<string> problems)
    {
        foreach (var param in declared ?? [])
        {
            if (!string.IsNullOrEmpty(param.Name) && param.Default is null && !(given ?? []).Any(p => p.Name == param.Name && p.Value is not null))
            {
                problems.Add($"{field} \"{param.Name}\" is required by the connectorclass");
            }
        }
    }

    private static void ValidateDepth(string field, List<NamedValue>? given, List<string> problems)
    {
        foreach (var param in given ?? [])
        {
            if (DepthOf(param.Value) > MaxValueDepth)
            {
                problems.Add($"{field} \"{param.Name}\" nests arrays and objects more than {MaxValueDepth} levels deep");
            }
        }
    }

    /// <summary>The nesting depth of <paramref name="value"/> (a scalar is 0), walked without recursion.</summary>
    private static int DepthOf(JsonNode? value)
    {
        var deepest = 0;
        var pending = new Stack<(JsonNode Node, int Depth)>();
        if (value is not null)
        {
            pending.Push((value, 0));
        }

        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            IEnumerable<JsonNode?> children = node switch
            {
                JsonObject o => o.Select(p => p.Value),
                JsonArray a => a,
                _ => [],
            };
            if (node is JsonObject or JsonArray)
            {
                deepest = Math.Max(deepest, depth + 1);
                if (deepest > MaxValueDepth)
                {
                    return deepest;
                }
            }

            foreach (var child in children)
            {
                if (child is not null)
                {
                    pending.Push((child, depth + 1));
                }
            }
        }

        return deepest;
    }

    private static void ValidateExtensions(ConnectorSpec spec, List<ParamSpec> declared, List<string> problems)
    {
        var given = spec.AddressExtensions ?? [];
        var seenNames = new HashSet<string>(StringComparer.Ordinal);
        var seenValues = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var extension in given)
        {
            var field = $"spec.addressExtensions \"{extension.Name}\"";
            if (!seenNames.Add(extension.Name))
            {
                problems.Add($"{field} is given more than once");
                continue;
            }

            if (!declared.Any(d => d.Name == extension.Name))
            {
                problems.Add(declared.Count == 0
                    ? $"{field} is not declared by the connectorclass, which declares no address extensions"
                    : $"{field} is not declared by the connectorclass: want one of {Names(declared.Select(d => d.Name ?? string.Empty))}");
                continue;
            }

            var value = extension.Value?.GetValueKind() == JsonValueKind.String ? extension.StringValue : null;
            if (!IsHttpUrl(value))
            {
                problems.Add($"{field} must be an http or https URL, got {extension.Value?.ToJsonString() ?? "nothing"}");
            }
            else if (value == spec.Address)
            {
                problems.Add($"{field} must differ from spec.address");
            }
            else if (seenValues.TryGetValue(value!, out var other))
            {
                problems.Add($"{field} has the same URL as \"{other}\"");
            }
            else
            {
                seenValues[value!] = extension.Name;
            }
        }

        foreach (var extension in declared.Where(d => d.Default is null && !string.IsNullOrEmpty(d.Name) && !seenNames.Contains(d.Name)))
        {
            problems.Add($"spec.addressExtensions \"{extension.Name}\" is required by the connectorclass");
        }
    }

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\"{n}\""));
}
