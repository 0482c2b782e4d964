using System.Text;
using Connectors.Modules.Model;
using Connectors.Modules.Templates;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Csi;

/// <summary>
/// Turns a validated request into the complete set of files of the volume, in memory: resolve Connectors and
/// classes, plan configurations, check access, issue the token, then built-ins, class configurations
/// (later wins) and exclusions. Nothing touches the target until everything here has succeeded.
/// </summary>
internal sealed class VolumeRenderer(ICsiKube kube, AccessChecker access, ITemplateRenderer templates, IOptions<CsiOptions> options)
{
    public const string ProxyCaKey = "tls.crt";

    public async Task<SortedDictionary<string, byte[]>> RenderAsync(VolumeRequest request, CancellationToken cancellationToken)
    {
        if (!kube.HasSynced)
        {
            throw new RpcException(GrpcStatusCode.Unavailable, "the driver's caches of Connectors and ConnectorClasses have not synced yet");
        }

        var connectors = ConnectorResolver.Resolve(kube, request.Connectors);
        var plans = ConfigurationPlan.Create(request.Configurations, connectors, request.Params);
        await access.CheckAsync(request.Pod, request.Connectors, cancellationToken);
        var token = await TokenIssuer.IssueAsync(kube, request, connectors, options.Value.ApiAudience, cancellationToken);
        var caPem = ProxyCa(connectors);

        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        BuiltinFiles.Add(files, token, connectors, caPem);
        foreach (var plan in plans)
        {
            var data = TemplateValue.FromJson(TemplateData.Build(plan.Owner, connectors, token, caPem, plan.Params));
            var renderOptions = RenderOptions.Default with { Engine = plan.Engine };
            foreach (var (name, template) in plan.Spec.Data ?? [])
            {
                var output = templates.Render(name, template, data, renderOptions, cancellationToken);
                files[name] = output.Output ?? throw new RpcException(GrpcStatusCode.Internal,
                    $"failed to generate configuration \"{plan.Spec.Name}\" file \"{name}\": {Redact(output.Error, token)}");
            }
        }

        foreach (var excluded in request.Exclusions)
        {
            files.Remove(excluded);
        }

        return Encode(files, options.Value.MaxVolumeBytes);
    }

    /// <summary>The proxy CA: Secret <c>connectors-proxy-ca</c> key <c>tls.crt</c>, else the proxy address's <c>CACerts</c>, else empty.</summary>
    private string ProxyCa(IReadOnlyList<MountedConnector> connectors)
    {
        var secret = kube.GetSecret(options.Value.ComponentsNamespace, WellKnown.ProxyCaSecretName);
        if (secret?.Data?.GetValueOrDefault(ProxyCaKey) is { Length: > 0 } pem)
        {
            return Encoding.UTF8.GetString(pem);
        }

        return connectors[^1].Connector.Status?.Proxy?.HttpAddress?.CACerts ?? string.Empty;
    }

    private static SortedDictionary<string, byte[]> Encode(Dictionary<string, string> files, long maxBytes)
    {
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        long total = 0;
        foreach (var (name, text) in files)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            total += bytes.Length;
            result[name] = bytes;
        }

        return total > maxBytes
            ? throw new RpcException(GrpcStatusCode.ResourceExhausted, $"the volume's files have {total} bytes, more than the limit of {maxBytes}")
            : result;
    }

    /// <summary>
    /// The message goes to kubelet and into the Pod's events: a template that prints its data into an error
    /// (<c>{{ fail .context.token }}</c>) must not publish the token there.
    /// </summary>
    private static string? Redact(string? error, string token) =>
        error is null || token.Length == 0 ? error : error.Replace(token, "[redacted]", StringComparison.Ordinal);
}
