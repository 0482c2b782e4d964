using System.Text;
using Connectors.Modules.Model;
using Connectors.Modules.Templates;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Csi;

/// <summary>
/// Turns a validated request into the complete set of files of the volume, in memory: resolve Connectors and
/// classes, plan configurations, check access, issue the token, then built-ins, class configurations
/// (later wins) and exclusions. Nothing touches the target until everything here has succeeded.
/// </summary>
internal sealed class VolumeRenderer(ICsiKube kube, AccessChecker access, ITemplateRenderer templates, IOptions<CsiOptions> options, TimeProvider time)
{
    public const string ProxyCaKey = "tls.crt";

    /// <summary>API calls unanswered after this make the API server's reachability checked at once.</summary>
    private static readonly TimeSpan SuspectAfter = TimeSpan.FromSeconds(1);

    public async Task<SortedDictionary<string, byte[]>> RenderAsync(VolumeRequest request, CancellationToken cancellationToken)
    {
        if (!kube.HasSynced)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the driver's caches of Connectors and ConnectorClasses have not synced yet"));
        }

        var connectors = ConnectorResolver.Resolve(kube, request.Connectors);
        var plans = ConfigurationPlan.Create(request.Configurations, connectors, request.Params);
        var token = await AskApiAsync(request, connectors, cancellationToken);
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
                files[name] = output.Output ?? throw new RpcException(new Status(StatusCode.Internal,
                    $"failed to generate configuration \"{plan.Spec.Name}\" file \"{name}\": {Redact(output.Error, token)}"));
            }
        }

        foreach (var excluded in request.Exclusions)
        {
            files.Remove(excluded);
        }

        return Encode(files, options.Value.MaxVolumeBytes);
    }

    /// <summary>
    /// The access reviews and the token, within <see cref="CsiOptions.ApiTimeout"/>: an API server that accepts
    /// connections but does not answer gets UNAVAILABLE (kubelet retries), not a call that outlives kubelet's deadline.
    /// </summary>
    private async Task<string> AskApiAsync(VolumeRequest request, IReadOnlyList<MountedConnector> connectors, CancellationToken cancellationToken)
    {
        if (kube.Unreachable is { } down)
        {
            throw Unavailable(down);
        }

        var limit = options.Value.ApiTimeout;
        var lost = kube.LostToken;
        using var timeout = new CancellationTokenSource(limit, time);
        using var slow = new CancellationTokenSource(SuspectAfter, time);
        using var suspect = slow.Token.Register(static k => ((ICsiKube)k!).Suspect(), kube);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, lost);
        try
        {
            await access.CheckAsync(request.Pod, request.Connectors, linked.Token);
            return await TokenIssuer.IssueAsync(kube, request, connectors, options.Value.ApiAudience, linked.Token);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(kube.Unreachable ?? "it stopped answering");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable,
                $"the Kubernetes API did not answer the access review and token request within {limit.TotalSeconds:0.#} s (Csi:ApiTimeout): it is unreachable or overloaded; kubelet will retry"));
        }
    }

    private static RpcException Unavailable(string problem) =>
        new RpcException(new Status(StatusCode.Unavailable, $"the Kubernetes API is unreachable ({problem}): the access review and token request cannot be made now; kubelet will retry"));

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
            ? throw new RpcException(new Status(StatusCode.ResourceExhausted, $"the volume's files have {total} bytes, more than the limit of {maxBytes}"))
            : result;
    }

    /// <summary>
    /// The message goes to kubelet and into the Pod's events: a template that prints its data into an error
    /// (<c>{{ fail .context.token }}</c>) must not publish the token there.
    /// </summary>
    private static string? Redact(string? error, string token) =>
        error is null || token.Length == 0 ? error : error.Replace(token, "[redacted]", StringComparison.Ordinal);
}
