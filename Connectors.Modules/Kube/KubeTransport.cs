using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using k8s.Authentication;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Kube;

/// <summary>
/// Sends one API request: rate limit, credentials (refreshed and retried once after a 401), timeout, and the
/// mapping of HTTP answers and transport errors to <see cref="KubeOutcome"/>.
/// </summary>
internal sealed partial class KubeTransport : IDisposable
{
    private readonly HttpClient _http;
    private readonly ServiceClientCredentials? _credentials;
    private readonly KubeRateLimiter _limiter;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly string _base;

    /// <summary>
    /// A transport on <paramref name="handler"/> with the package's credentials for <paramref name="config"/> (token, token
    /// file, exec plugin, basic auth; none when only a client certificate authenticates). Paths are appended to the
    /// server URL, path included (servers behind a path prefix, as Rancher's cluster proxy).
    /// </summary>
    public KubeTransport(KubeClientConfig config, HttpMessageHandler handler, KubeRateLimiter limiter, TimeSpan timeout, TimeProvider timeProvider, ILogger logger)
    {
        Reachability = new KubeReachability(timeProvider);
        Config = config;
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("connectors/" + (typeof(KubeTransport).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"));
        _credentials = k8s.Kubernetes.CreateCredentials(config.Configuration);
        _base = config.Server.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _limiter = limiter;
        _timeout = timeout;
        _logger = logger;
    }

    public KubeClientConfig Config { get; }

    /// <summary>Upper bound of one non-watch request.</summary>
    public TimeSpan RequestTimeout => _timeout;

    /// <summary>Whether the server answered the last request.</summary>
    public KubeReachability Reachability { get; }

    /// <summary>Sends a request and reads the whole answer.</summary>
    public Task<KubeResponse> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body, string? contentType, CancellationToken cancellationToken) =>
        SendAsync(method, pathAndQuery, body, contentType, _timeout, limited: true, cancellationToken);

    /// <summary>Sends a request bounded by <paramref name="timeout"/>; <paramref name="limited"/> false skips the rate limit (health probes).</summary>
    /// <paramref name="confirms"/>: a failure of this request marks the server unreachable (the reachability probe);
    /// any other failure only raises a suspicion that the probe then checks.
    public async Task<KubeResponse> SendAsync(
        HttpMethod method, string pathAndQuery, byte[]? body, string? contentType, TimeSpan timeout, bool limited, CancellationToken cancellationToken,
        bool confirms = false)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            using var response = await SendCoreAsync(method, pathAndQuery, body, contentType, HttpCompletionOption.ResponseContentRead, limited, bounded.Token);
            var bytes = await response.Content.ReadAsByteArrayAsync(bounded.Token);
            return new KubeResponse(response.StatusCode, bytes, response.Headers.RetryAfter?.Delta);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unanswered($"{method} {Describe(pathAndQuery)}: no answer within {timeout.TotalSeconds:0.#} s", confirms);
        }
        catch (HttpRequestException e)
        {
            return Unanswered($"{method} {Describe(pathAndQuery)}: {TransportMessage(e)}", confirms);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            // SocketsHttpHandler lets a bare SocketException out when a connection is reset while it is set up.
            return Unanswered($"{method} {Describe(pathAndQuery)}: cannot reach the Kubernetes API: {e.Message}", confirms);
        }
        catch (KubeConfigException e)
        {
            // The credential could not be read (token file, exec plugin): the request was never sent.
            return KubeResponse.Failed($"{method} {Describe(pathAndQuery)}: {e.Message}");
        }
    }

    /// <summary>Opens a streaming request (watch); the caller owns the response.</summary>
    /// <exception cref="KubeException">The server cannot be reached.</exception>
    public async Task<HttpResponseMessage> OpenStreamAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        try
        {
            return await SendCoreAsync(HttpMethod.Get, pathAndQuery, null, null, HttpCompletionOption.ResponseHeadersRead, limited: true, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            Reachability.Suspect();
            throw new KubeException(KubeOutcome.Transient, $"GET {Describe(pathAndQuery)}: {TransportMessage(e)}", e);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            Reachability.Suspect();
            throw new KubeException(KubeOutcome.Transient, $"GET {Describe(pathAndQuery)}: cannot reach the Kubernetes API: {e.Message}", e);
        }
    }

    public string Describe(string pathAndQuery)
    {
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return _base + (question < 0 ? pathAndQuery : pathAndQuery[..question]);
    }

    public void Dispose()
    {
        _http.Dispose();
        Reachability.Dispose();
    }

    private async Task<HttpResponseMessage> SendCoreAsync(
        HttpMethod method, string pathAndQuery, byte[]? body, string? contentType, HttpCompletionOption completion, bool limited, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (limited)
            {
                await _limiter.WaitAsync(cancellationToken);
            }

            using var request = new HttpRequestMessage(method, _base + pathAndQuery);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
            }

            await AuthenticateAsync(request, cancellationToken);
            var started = Stopwatch.GetTimestamp();
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, completion, cancellationToken);
            }
            catch (HttpRequestException)
            {
                KubeMetrics.Request(method.Method, 0, Stopwatch.GetElapsedTime(started));
                throw;
            }

            KubeMetrics.Request(method.Method, (int)response.StatusCode, Stopwatch.GetElapsedTime(started));
            Reachability.ReportAnswer();
            if (response.StatusCode != HttpStatusCode.Unauthorized || attempt > 0 || Config.Tokens is null)
            {
                Log.Answered(_logger, method.Method, Describe(pathAndQuery), (int)response.StatusCode);
                return response;
            }

            // The token may have rotated or expired: read the file or run the plugin again, then retry once.
            response.Dispose();
            Config.Tokens.Renew();
        }
    }

    /// <summary>Adds the package's credentials to a request.</summary>
    /// <exception cref="KubeConfigException">The token file cannot be read or the plugin fails.</exception>
    private async Task AuthenticateAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_credentials is null)
        {
            return;
        }

        try
        {
            await _credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"{Config.Source}: cannot get a credential: {KubeConfigResolver.OneLine(e)}", e);
        }
    }

    private KubeResponse Unanswered(string problem, bool confirms)
    {
        if (confirms)
        {
            Reachability.ReportFailure(problem);
        }
        else
        {
            Reachability.Suspect();
        }

        return KubeResponse.Failed(problem);
    }

    private static string TransportMessage(HttpRequestException e)
    {
        var message = e.InnerException is { } inner ? inner.Message : e.Message;
        return "cannot reach the Kubernetes API: " + message;
    }

    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Trace, "{Method} {Url} answered {StatusCode}")]
        public static partial void Answered(ILogger logger, string method, string url, int statusCode);
    }
}
