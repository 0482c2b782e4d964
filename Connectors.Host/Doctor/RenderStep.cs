using System.Text;
using System.Text.Json.Nodes;
using Connectors.Modules.Csi;
using Connectors.Modules.Kube;
using Connectors.Modules.Model;
using Connectors.Modules.Templates;

namespace Connectors.Host.Doctor;

/// <summary>
/// Step 7: each configuration of the class renders for this Connector, with the CSI driver's own planning
/// (<see cref="ConfigurationPlan"/>), template data (<see cref="TemplateData"/>) and template engine. Rendered text
/// is never printed; errors name the configuration and file, with the token redacted.
/// </summary>
internal static class RenderStep
{
    /// <summary>Rendered when no token could be issued: templates only see a string.</summary>
    private const string PlaceholderToken = "doctor-placeholder-token";

    public static async Task<IReadOnlyList<StepResult>> CheckAsync(
        KubeClient client, DoctorRequest request, Connector connector, ConnectorClass connectorClass, string? token, ITemplateRenderer templates, CancellationToken cancellationToken)
    {
        var configurations = connectorClass.Spec.Configurations ?? [];
        if (configurations.Count == 0)
        {
            return [StepResult.Ok("configurations", $"connectorclass {connectorClass.Metadata.Name} has none: pods get only the built-in files")];
        }

        token ??= PlaceholderToken;
        var mounted = new MountedConnector(new ConnectorRef(request.Namespace, request.Connector), connector, connectorClass, connector.Status?.Proxy?.HttpAddress?.Url ?? string.Empty);
        var caPem = await ProxyCaAsync(client, request, connector, cancellationToken);
        var results = new List<StepResult>(configurations.Count);
        foreach (var spec in configurations)
        {
            results.Add(Render(spec, mounted, token, caPem, templates, cancellationToken));
        }

        return results;
    }

    private static StepResult Render(ConfigurationSpec spec, MountedConnector mounted, string token, string caPem, ITemplateRenderer templates, CancellationToken cancellationToken)
    {
        var subject = $"configuration {spec.Name}";
        var fix = $"fix the template in connectorclass {mounted.Class.Metadata.Name} and try it with `connectors template render`";
        if ((spec.Params ?? []).Where(p => p.Default is null && !string.IsNullOrEmpty(p.Name)).Select(p => p.Name).FirstOrDefault() is { } required)
        {
            return StepResult.Skip(subject, $"needs param \"{required}\" from the volume's configuration.params; not rendered");
        }

        ConfigurationPlan plan;
        try
        {
            plan = ConfigurationPlan.Create([spec.Name], [mounted], new JsonObject())[0];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The driver's own refusal (an invalid file name, an unknown template engine): its message names the configuration.
            var message = e is Grpc.Core.RpcException rpc ? rpc.Status.Detail : e.Message;
            return StepResult.Fail(subject, $"{message}; fix connectorclass {mounted.Class.Metadata.Name}");
        }

        var data = TemplateValue.FromJson(TemplateData.Build(plan.Owner, [mounted], token, caPem, plan.Params));
        var options = RenderOptions.Default with { Engine = plan.Engine };
        var sizes = new List<string>();
        foreach (var (file, template) in plan.Spec.Data ?? [])
        {
            var output = templates.Render(file, template, data, options, cancellationToken);
            if (output.Error is { } error)
            {
                return StepResult.Fail(subject, $"file \"{file}\" does not render: {error.Replace(token, "[redacted]", StringComparison.Ordinal)}; {fix}");
            }

            sizes.Add($"{file} {Encoding.UTF8.GetByteCount(output.Output!)} bytes");
        }

        return StepResult.Ok(subject, sizes.Count == 0 ? "has no files" : "renders (" + string.Join(", ", sizes) + ")");
    }

    /// <summary>The proxy CA as the driver finds it: Secret connectors-proxy-ca (tls.crt), else the Connector's status, else empty.</summary>
    private static async Task<string> ProxyCaAsync(KubeClient client, DoctorRequest request, Connector connector, CancellationToken cancellationToken)
    {
        var secret = await client.GetAsync<Secret>(request.ComponentsNamespace, WellKnown.ProxyCaSecretName, cancellationToken);
        if (secret.IsOk && secret.Value!.Data?.GetValueOrDefault(VolumeRenderer.ProxyCaKey) is { Length: > 0 } pem)
        {
            return Encoding.UTF8.GetString(pem);
        }

        return connector.Status?.Proxy?.HttpAddress?.CACerts ?? string.Empty;
    }
}
