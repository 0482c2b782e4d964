using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Connectors.Modules.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Tests.Support;

/// <summary>
/// The embedded Kubernetes-compatible API, started in-process on 127.0.0.1:0 for a test: its base URL, the admin
/// token, a kubeconfig file (HTTPS, the server's CA, the admin token) and HttpClients that trust the server.
/// <code>
/// await using var api = await EmbeddedApi.StartAsync(cancellationToken);
/// using var http = api.CreateClient();                     // admin
/// var kubeconfig = api.KubeconfigPath;                      // for a Kube client or kubectl
/// </code>
/// </summary>
public sealed class EmbeddedApi : IAsyncDisposable
{
    private readonly string _directory;

    private EmbeddedApi(EmbeddedApiServer server, string directory, string kubeconfigPath)
    {
        Server = server;
        _directory = directory;
        KubeconfigPath = kubeconfigPath;
    }

    public EmbeddedApiServer Server { get; }

    /// <summary>The server's base URL, e.g. <c>https://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl => Server.BaseUrl;

    /// <summary>Bearer token of the admin (group <c>system:masters</c>).</summary>
    public string AdminToken => Server.AdminToken;

    /// <summary>A kubeconfig file for the admin, deleted with the fixture.</summary>
    public string KubeconfigPath { get; }

    /// <summary>
    /// Starts a server; <paramref name="configure"/> may change options (HistorySize, BookmarkInterval, Tls…; namespace
    /// deletion is immediate unless NamespaceFinalizeDelay is set), <paramref name="timeProvider"/> the clock of
    /// timestamps and token validity.
    /// </summary>
    public static async Task<EmbeddedApi> StartAsync(CancellationToken cancellationToken, Action<EmbeddedApiOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var options = new EmbeddedApiOptions { NamespaceFinalizeDelay = TimeSpan.Zero };
        configure?.Invoke(options);
        var server = new EmbeddedApiServer(options, NullLoggerFactory.Instance, timeProvider);
        await server.StartAsync(cancellationToken);
        var directory = Path.Combine(Path.GetTempPath(), "connectors-embedded-" + Guid.NewGuid().ToString("N"));
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        await server.WriteKubeconfigAsync(kubeconfig, cancellationToken);
        return new EmbeddedApi(server, directory, kubeconfig);
    }

    /// <summary>An HttpClient on <see cref="BaseUrl"/> that trusts the server and sends <paramref name="token"/> (the admin's by default; empty for none).</summary>
    public HttpClient CreateClient(string? token = null)
    {
        var client = new HttpClient(Server.CreateHandler()) { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        token ??= AdminToken;
        if (token.Length > 0)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Creates (admin) an object from JSON at <paramref name="collectionPath"/>, e.g. <c>api/v1/namespaces/default/secrets</c>.</summary>
    public async Task<JsonObject> CreateAsync(string collectionPath, string json, CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(collectionPath, content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {collectionPath}: {(int)response.StatusCode} {body}");
        }

        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>
    /// Sends <paramref name="json"/> (or nothing) with <paramref name="method"/> to <paramref name="path"/> as the admin
    /// (or with <paramref name="token"/>); returns the status code and the JSON body (a Status on failure).
    /// </summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(
        HttpMethod method, string path, string? json, CancellationToken cancellationToken, string contentType = "application/json", string? token = null)
    {
        using var client = CreateClient(token);
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, body.Length == 0 ? [] : JsonNode.Parse(body) as JsonObject ?? []);
    }

    /// <summary>A ServiceAccount token from TokenRequest (the ServiceAccount must exist; every namespace has <c>default</c>).</summary>
    public async Task<string> CreateTokenAsync(string ns, string serviceAccount, CancellationToken cancellationToken, params string[] audiences)
    {
        using var client = CreateClient();
        var request = new JsonObject { ["spec"] = new JsonObject { ["audiences"] = new JsonArray([.. audiences.Select(a => JsonValue.Create(a))]) } };
        using var response = await client.PostAsJsonAsync($"api/v1/namespaces/{ns}/serviceaccounts/{serviceAccount}/token", request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"TokenRequest {ns}/{serviceAccount}: {(int)response.StatusCode} {body}");
        }

        return (string)JsonNode.Parse(body)!["status"]!["token"]!;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
