using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Connectors.Modules.Model;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Kube;

/// <summary>
/// Typed Kubernetes API client over HttpClient. Every call returns a <see cref="KubeResult{T}"/>: expected failures
/// (not found, conflict, gone, forbidden, unauthorized, invalid, transient) are values, not exceptions. Register
/// with <see cref="KubeServiceCollectionExtensions.AddKube"/>.
/// </summary>
public sealed class KubeClient : IDisposable
{
    private const string MergePatch = "application/merge-patch+json";
    private readonly KubeTransport _transport;

    internal KubeClient(KubeTransport transport) => _transport = transport;

    /// <summary>
    /// A client outside dependency injection (command-line tools): <see cref="KubeOptions.Kubeconfig"/> and
    /// <see cref="KubeOptions.Context"/>, else in-cluster, else <c>$KUBECONFIG</c> or <c>~/.kube/config</c>.
    /// </summary>
    /// <exception cref="KubeConfigException">No usable configuration; the message names the file or context.</exception>
    public static KubeClient Create(KubeOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return KubeClientFactory.Create(options, timeProvider, loggerFactory);
    }

    /// <summary>The API server's base URL.</summary>
    public Uri Server => _transport.Config.Server;

    /// <summary>The namespace of the kubeconfig context or of the pod's ServiceAccount; <c>default</c> when neither says.</summary>
    public string DefaultNamespace => _transport.Config.Namespace is { Length: > 0 } ns ? ns : "default";

    /// <summary>Where the configuration came from (<c>context "x" of kubeconfig /path</c>), for messages.</summary>
    public string Source => _transport.Config.Source;

    internal KubeTransport Transport => _transport;

    /// <summary>Whether the API server answers; see <see cref="KubeReachability"/>.</summary>
    public KubeReachability Reachability => _transport.Reachability;

    /// <summary>
    /// Asks <c>/version</c> past the rate limit within <paramref name="timeout"/>; any HTTP answer counts as reachable,
    /// and no answer marks the server unreachable (other requests only raise a suspicion).
    /// </summary>
    public async Task<bool> ProbeReachableAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var response = await _transport.SendAsync(HttpMethod.Get, "/version", null, null, timeout, limited: false, cancellationToken, confirms: true);
        return response.TransportError is null;
    }

    public Task<KubeResult<T>> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubeObject
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return SendAsync<T>(HttpMethod.Get, KubeResource.Of<T>().PathFor(ns, name), null, null, cancellationToken);
    }

    /// <summary>Lists objects in <paramref name="ns"/> (or in every namespace when null), filtered by the selectors in <paramref name="options"/>.</summary>
    public async Task<KubeResult<KubeList<T>>> ListAsync<T>(string? ns, ListOptions? options, CancellationToken cancellationToken)
        where T : class, IKubeObject
    {
        var path = KubeResource.Of<T>().PathFor(ns) + KubeQuery.ForList(options);
        var response = await _transport.SendAsync(HttpMethod.Get, path, null, null, cancellationToken);
        return response.ToResult(KubeJson.DecodeList<T>);
    }

    /// <summary>
    /// Watches objects from <paramref name="resourceVersion"/> until the server ends the stream or
    /// <paramref name="cancellationToken"/> fires. Events are ADDED, MODIFIED, DELETED and BOOKMARK.
    /// </summary>
    /// <exception cref="KubeException">The watch cannot start, or the server ends it with an ERROR (410 Gone: relist).</exception>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns, string resourceVersion, ListOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IKubeObject
    {
        var path = KubeResource.Of<T>().PathFor(ns) + KubeQuery.ForWatch(resourceVersion, options);
        using var response = await _transport.OpenStreamAsync(path, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var failure = new KubeResponse(response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken), null).ToResult<T>(_ => null!);
            throw new KubeException(failure.Outcome, $"watch {_transport.Describe(path)}: {failure.Message}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                yield return KubeJson.DecodeWatchEvent<T>(line, _transport.Describe(path));
            }
        }
    }

    public Task<KubeResult<T>> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubeObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        var resource = KubeResource.Of<T>();
        if (resource.Namespaced && string.IsNullOrEmpty(obj.Metadata.Namespace))
        {
            throw new ArgumentException($"{resource.Kind} {obj.Metadata.Name} is namespaced: metadata.namespace is required", nameof(obj));
        }

        return SendAsync(HttpMethod.Post, resource.PathFor(obj.Metadata.Namespace), obj, null, cancellationToken);
    }

    /// <summary>Replaces the object; a stale <c>metadata.resourceVersion</c> gives <see cref="KubeOutcome.Conflict"/>.</summary>
    public Task<KubeResult<T>> UpdateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubeObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        return SendAsync(HttpMethod.Put, KubeResource.Of<T>().PathFor(obj.Metadata.Namespace, NameOf(obj)), obj, null, cancellationToken);
    }

    /// <summary>Replaces the status subresource; a stale <c>metadata.resourceVersion</c> gives <see cref="KubeOutcome.Conflict"/>.</summary>
    public Task<KubeResult<T>> UpdateStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubeObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        return SendAsync(HttpMethod.Put, KubeResource.Of<T>().PathFor(obj.Metadata.Namespace, NameOf(obj), "status"), obj, null, cancellationToken);
    }

    /// <summary>Applies a JSON merge patch (RFC 7386) to the object, or to its status subresource when <paramref name="status"/> is true.</summary>
    public Task<KubeResult<T>> PatchAsync<T>(string? ns, string name, JsonNode mergePatch, bool status, CancellationToken cancellationToken)
        where T : class, IKubeObject
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(mergePatch);
        var body = System.Text.Encoding.UTF8.GetBytes(mergePatch.ToJsonString());
        return SendRawAsync<T>(HttpMethod.Patch, KubeResource.Of<T>().PathFor(ns, name, status ? "status" : null), body, MergePatch, limited: true, cancellationToken);
    }

    /// <summary>Deletes the object (background propagation). The value is the API's Status, or a success Status when it returned the object.</summary>
    public async Task<KubeResult<KubeStatus>> DeleteAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubeObject
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var resource = KubeResource.Of<T>();
        var response = await _transport.SendAsync(HttpMethod.Delete, resource.PathFor(ns, name), null, null, cancellationToken);
        return response.ToResult(body => KubeJson.DecodeDeleteStatus(body, resource, name));
    }

    /// <summary>Asks the API who a bearer token belongs to (authentication.k8s.io TokenReview).</summary>
    public Task<KubeResult<TokenReview>> ReviewTokenAsync(string token, IReadOnlyList<string> audiences, CancellationToken cancellationToken) =>
        ReviewTokenAsync(token, audiences, limited: true, cancellationToken);

    /// <summary>
    /// TokenReview; <paramref name="limited"/> false skips the client-side rate limit (the proxy does so for tokens it
    /// verified locally, which only the API server can mint).
    /// </summary>
    public Task<KubeResult<TokenReview>> ReviewTokenAsync(string token, IReadOnlyList<string> audiences, bool limited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(audiences);
        var review = new TokenReview { Spec = new TokenReviewSpec { Token = token, Audiences = audiences.Count == 0 ? null : [.. audiences] } };
        return SendAsync(HttpMethod.Post, KubeResource.Of<TokenReview>().PathFor(null), review, null, limited, cancellationToken);
    }

    /// <summary>Asks the API whether a user may do something (authorization.k8s.io SubjectAccessReview).</summary>
    public Task<KubeResult<SubjectAccessReview>> ReviewAccessAsync(SubjectAccessReview review, CancellationToken cancellationToken) =>
        ReviewAccessAsync(review, limited: true, cancellationToken);

    /// <summary>SubjectAccessReview; <paramref name="limited"/> as for <see cref="ReviewTokenAsync(string, IReadOnlyList{string}, bool, CancellationToken)"/>.</summary>
    public Task<KubeResult<SubjectAccessReview>> ReviewAccessAsync(SubjectAccessReview review, bool limited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        return SendAsync(HttpMethod.Post, KubeResource.Of<SubjectAccessReview>().PathFor(null), review, null, limited, cancellationToken);
    }

    /// <summary>Requests a token for a ServiceAccount (<c>serviceaccounts/&lt;sa&gt;/token</c>).</summary>
    public Task<KubeResult<TokenRequest>> RequestTokenAsync(string ns, string serviceAccount, TokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentException.ThrowIfNullOrEmpty(serviceAccount);
        ArgumentNullException.ThrowIfNull(request);
        var path = KubeResource.Of<ServiceAccount>().PathFor(ns, serviceAccount, "token");
        return SendAsync(HttpMethod.Post, path, request, null, cancellationToken);
    }

    /// <summary>Reads a path that is not a kind (<c>/version</c>, <c>/readyz</c>) and returns the body as JSON.</summary>
    public async Task<KubeResult<JsonNode>> GetRawAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var response = await _transport.SendAsync(HttpMethod.Get, path, null, null, cancellationToken);
        return response.ToResult(body => JsonNode.Parse(body) ?? new JsonObject());
    }

    /// <summary>
    /// Sends <paramref name="body"/> (JSON) to a resource path and returns the answer as JSON: for kinds the model
    /// does not type (webhook configurations), whose whole object is read and replaced.
    /// </summary>
    public async Task<KubeResult<JsonNode>> SendJsonAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = body is null ? null : System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
        var response = await _transport.SendAsync(method, path, bytes, body is null ? null : "application/json", cancellationToken);
        return response.ToResult(answer => JsonNode.Parse(answer) ?? new JsonObject());
    }

    public void Dispose() => _transport.Dispose();

    private static string NameOf(IKubeObject obj) =>
        obj.Metadata.Name is { Length: > 0 } name ? name : throw new ArgumentException($"{obj.Kind} has no metadata.name", nameof(obj));

    private Task<KubeResult<T>> SendAsync<T>(HttpMethod method, string path, T? body, string? contentType, CancellationToken cancellationToken)
        where T : class => SendAsync(method, path, body, contentType, limited: true, cancellationToken);

    private Task<KubeResult<T>> SendAsync<T>(HttpMethod method, string path, T? body, string? contentType, bool limited, CancellationToken cancellationToken)
        where T : class => SendRawAsync<T>(method, path, body is null ? null : ModelJson.SerializeToUtf8Bytes(body), contentType, limited, cancellationToken);

    private async Task<KubeResult<T>> SendRawAsync<T>(HttpMethod method, string path, byte[]? body, string? contentType, bool limited, CancellationToken cancellationToken)
        where T : class
    {
        var response = limited
            ? await _transport.SendAsync(method, path, body, contentType, cancellationToken)
            : await _transport.SendAsync(method, path, body, contentType, _transport.RequestTimeout, limited: false, cancellationToken);
        return response.ToResult(body => ModelJson.Deserialize<T>(body.AsSpan()));
    }
}
