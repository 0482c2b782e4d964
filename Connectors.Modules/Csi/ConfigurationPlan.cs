using System.Text.Json.Nodes;
using Connectors.Modules.Model;
using Connectors.Modules.Templates;
using Grpc.Core;

namespace Connectors.Modules.Csi;

/// <summary>
/// One selected class configuration: where it comes from, its engine and its params (class defaults, then
/// the volume's <c>configuration.params</c>). Built before any token is issued so bad input fails cheaply.
/// </summary>
internal sealed record ConfigurationPlan(ConfigurationSpec Spec, MountedConnector Owner, TemplateEngineKind Engine, JsonObject Params)
{
    /// <summary>
    /// Plans the listed configurations in order. A name is looked up in the classes of the mounted Connectors
    /// in volume order; the first class that has it provides the templates, which see the whole
    /// <c>.connectors</c> list (a name is rendered once, original §5.3).
    /// </summary>
    public static List<ConfigurationPlan> Create(IReadOnlyList<string> names, IReadOnlyList<MountedConnector> connectors, JsonObject requested)
    {
        var plans = new List<ConfigurationPlan>(names.Count);
        foreach (var name in names)
        {
            var (spec, owner) = connectors
                .Select(c => (Spec: c.Class.Spec.Configurations?.FirstOrDefault(s => s.Name == name), Owner: c))
                .FirstOrDefault(x => x.Spec is not null);
            if (spec is null)
            {
                var classes = string.Join(", ", connectors.Select(c => $"\"{c.Class.Metadata.Name}\"").Distinct());
                throw new RpcException(new Status(StatusCode.NotFound, $"configuration \"{name}\" not found in connectorclass {classes}"));
            }

            CheckFileNames(spec, owner);
            plans.Add(new ConfigurationPlan(spec, owner, EngineOf(spec, owner), MergeParams(spec, requested[name] as JsonObject)));
        }

        return plans;
    }

    private static void CheckFileNames(ConfigurationSpec spec, MountedConnector owner)
    {
        foreach (var file in spec.Data?.Keys ?? Enumerable.Empty<string>())
        {
            if (!FileNames.IsValid(file))
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"configuration \"{spec.Name}\" of connectorclass \"{owner.Class.Metadata.Name}\" has an invalid file name \"{file}\": {FileNames.Rule}"));
            }
        }
    }

    /// <summary>Go text/template + sprig unless the configuration's <c>connectors.alauda.io/template-engine</c> annotation says handlebars.</summary>
    private static TemplateEngineKind EngineOf(ConfigurationSpec spec, MountedConnector owner) =>
        TemplateEngineAnnotation.Resolve(spec.Annotations) ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
            $"configuration \"{spec.Name}\" of connectorclass \"{owner.Class.Metadata.Name}\" asks for unknown template engine "
            + $"\"{spec.Annotations![TemplateEngineAnnotation.Name]}\": want go or handlebars"));

    private static JsonObject MergeParams(ConfigurationSpec spec, JsonObject? requested)
    {
        var result = new JsonObject();
        var declared = (spec.Params ?? []).Where(p => !string.IsNullOrEmpty(p.Name)).ToList();
        foreach (var param in declared)
        {
            var name = param.Name!;
            if (requested?[name] is { } value)
            {
                result[name] = value.DeepClone();
            }
            else if (param.Default is { } fallback)
            {
                result[name] = fallback.DeepClone();
            }
            else
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"configuration \"{spec.Name}\" requires param \"{param.Name}\" in {VolumeAttributes.ConfigurationParams}"));
            }
        }

        foreach (var (key, value) in requested ?? [])
        {
            if (declared.Count > 0 && declared.All(p => p.Name != key))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"configuration \"{spec.Name}\" has no param \"{key}\": want one of {string.Join(", ", declared.Select(p => p.Name))}"));
            }

            result[key] ??= value?.DeepClone();
        }

        return result;
    }
}
