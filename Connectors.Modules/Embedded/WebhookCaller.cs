using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Connectors.Modules.Embedded;

/// <summary>
/// Sends one <c>AdmissionReview</c> over HTTPS, as kube-apiserver does: the server certificate must chain to
/// the webhook's <c>caBundle</c> (the system roots when it is empty) and name the URL's host; the connection
/// goes to the resolved address. Clients are kept per CA bundle and address so connections are reused.
/// </summary>
internal sealed class WebhookCaller : IDisposable
{
    private const int MaxClients = 64;
    private readonly ConcurrentDictionary<(string CaBundle, string Host, int Port), ClientLease> _clients = new();

    /// <summary>The webhook's answer (the AdmissionReview's <c>response</c>), or the failure as Go's client words it.</summary>
    public async Task<(JsonObject? Response, string? Error)> CallAsync(WebhookEndpoint endpoint, string caBundle, JsonObject review, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var lease = Acquire(endpoint, caBundle);
        try
        {
            return await PostAsync(lease.Client, endpoint, review, timeout, cancellationToken);
        }
        finally
        {
            lease.Release();
        }
    }

    public void Dispose()
    {
        foreach (var key in _clients.Keys.ToList())
        {
            if (_clients.TryRemove(key, out var lease))
            {
                lease.Retire();
            }
        }
    }

    /// <summary>kube-apiserver's own limit on a request body; an AdmissionReview answer is far smaller.</summary>
    private const int MaxAnswerBytes = 3 * 1024 * 1024;

    /// <summary>The answer's text, or null when it is larger than <see cref="MaxAnswerBytes"/> (a webhook cannot make
    /// the API server buffer without bound).</summary>
    private static async Task<string?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxAnswerBytes)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxAnswerBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static async Task<(JsonObject? Response, string? Error)> PostAsync(HttpClient client, WebhookEndpoint endpoint, JsonObject review, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        var url = endpoint.Url + (endpoint.Url.Query.Length == 0 ? "?" : "&") + $"timeout={(int)timeout.TotalSeconds}s";
        try
        {
            using var content = new StringContent(review.ToJsonString(), Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(url, content, timer.Token);
            var body = await ReadBoundedAsync(response.Content, timer.Token);
            if (body is null)
            {
                return (null, $"Post \"{url}\": the answer is larger than {MaxAnswerBytes / (1024 * 1024)} MiB");
            }

            if (!response.IsSuccessStatusCode)
            {
                return (null, $"Post \"{url}\": the server answered {(int)response.StatusCode}: {Truncate(body)}");
            }

            var answer = JsonNode.Parse(body) as JsonObject;
            return answer?["response"] is JsonObject result
                ? (result, null)
                : (null, $"Post \"{url}\": the answer is not an AdmissionReview with a response");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"Post \"{url}\": context deadline exceeded");
        }
        catch (HttpRequestException e)
        {
            return (null, $"Post \"{url}\": {Innermost(e)}");
        }
        catch (System.Text.Json.JsonException e)
        {
            return (null, $"Post \"{url}\": the answer is not JSON: {e.Message}");
        }
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";

    /// <summary>A client for the key, held until <see cref="ClientLease.Release"/>: a turnover of the cache never disposes a client in use.</summary>
    private ClientLease Acquire(WebhookEndpoint endpoint, string caBundle)
    {
        var key = (caBundle, endpoint.ConnectHost, endpoint.ConnectPort);
        while (true)
        {
            if (_clients.TryGetValue(key, out var existing))
            {
                if (existing.TryAcquire())
                {
                    return existing;
                }

                _clients.TryRemove(new KeyValuePair<(string, string, int), ClientLease>(key, existing));
                continue;
            }

            if (_clients.Count >= MaxClients)
            {
                // Configurations churn rarely; a full cache is simply started again (clients in use live until released).
                foreach (var old in _clients.Keys.ToList())
                {
                    if (_clients.TryRemove(old, out var removed))
                    {
                        removed.Retire();
                    }
                }
            }

            var created = new ClientLease(new HttpClient(Handler(endpoint, caBundle)) { Timeout = Timeout.InfiniteTimeSpan });
            if (_clients.TryAdd(key, created) && created.TryAcquire())
            {
                return created;
            }

            created.Retire();
        }
    }

    private static SocketsHttpHandler Handler(WebhookEndpoint endpoint, string caBundle)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
            // A webhook's redirect would send the AdmissionReview (objects, Secrets included) to another address.
            AllowAutoRedirect = false,
            // The URL names the Service (what TLS verifies); the connection goes where the Service resolves.
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(endpoint.ConnectHost, endpoint.ConnectPort, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var roots = new X509Certificate2Collection();
        if (caBundle.Length > 0)
        {
            roots.ImportFromPem(Encoding.UTF8.GetString(Convert.FromBase64String(caBundle)));
        }

        if (roots.Count > 0)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(roots);
            handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        }

        return handler;
    }

    /// <summary>A cached client and how many calls use it; retired (evicted) it is disposed once the last call is done.</summary>
    private sealed class ClientLease(HttpClient client)
    {
        private readonly Lock _sync = new();
        private int _users;
        private bool _retired;

        public HttpClient Client => client;

        public bool TryAcquire()
        {
            lock (_sync)
            {
                if (_retired)
                {
                    return false;
                }

                _users++;
                return true;
            }
        }

        public void Release()
        {
            lock (_sync)
            {
                if (--_users > 0 || !_retired)
                {
                    return;
                }
            }

            client.Dispose();
        }

        public void Retire()
        {
            lock (_sync)
            {
                _retired = true;
                if (_users > 0)
                {
                    return;
                }
            }

            client.Dispose();
        }
    }
}
