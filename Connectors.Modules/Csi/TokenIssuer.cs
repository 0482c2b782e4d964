using System.Text.Json;
using Connectors.Modules.Model;
using Grpc.Core;

namespace Connectors.Modules.Csi;

/// <summary>
/// The pod's token: the one kubelet passes in <c>serviceAccount.tokens</c> when the CSIDriver has
/// tokenRequests, otherwise a TokenRequest for the pod's ServiceAccount with audiences [API server default,
/// proxy URLs] and the requested lifetime, not bound to the pod (as the original driver does).
/// </summary>
internal static class TokenIssuer
{
    public static async Task<string> IssueAsync(
        ICsiKube kube, VolumeRequest request, IReadOnlyList<MountedConnector> connectors, string apiAudience, CancellationToken cancellationToken)
    {
        if (request.KubeletTokens is { } tokens)
        {
            return FromKubelet(tokens, connectors[0].ProxyAddress);
        }

        var audiences = new List<string> { apiAudience };
        audiences.AddRange(connectors.Select(c => c.ProxyAddress).Where(a => a.Length > 0 && !audiences.Contains(a)).Distinct());
        var tokenRequest = new TokenRequest
        {
            Spec = new TokenRequestSpec { Audiences = audiences, ExpirationSeconds = (long)request.TokenExpiration.TotalSeconds },
        };
        var answer = await kube.RequestTokenAsync(request.Pod.Namespace, request.Pod.ServiceAccount, tokenRequest, cancellationToken);
        if (!answer.IsOk)
        {
            throw new RpcException(new Status(answer.Status, $"could not issue a token for serviceaccount \"{request.Pod.Namespace}/{request.Pod.ServiceAccount}\": {answer.Message}"));
        }

        return answer.Value!.Status?.Token is { Length: > 0 } token
            ? token
            : throw new RpcException(new Status(StatusCode.Internal, "the TokenRequest answer has no token"));
    }

    /// <summary>
    /// kubelet's map is <c>{"&lt;audience&gt;": {"token": ..., "expirationTimestamp": ...}}</c>; the API server's
    /// default audience appears as <c>""</c>. The proxy's audience is preferred, then the default, then the first.
    /// </summary>
    private static string FromKubelet(string json, string proxyAudience)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var entries = document.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String)
                .OrderBy(p => p.Name == proxyAudience ? 0 : p.Name.Length == 0 ? 1 : 2)
                .ThenBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => p.Value.GetProperty("token").GetString())
                .ToList();
            return entries.FirstOrDefault(t => !string.IsNullOrEmpty(t))
                ?? throw new RpcException(new Status(StatusCode.InvalidArgument, $"{VolumeAttributes.ServiceAccountTokens} has no token"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{VolumeAttributes.ServiceAccountTokens} is not kubelet's token map"));
        }
    }
}
