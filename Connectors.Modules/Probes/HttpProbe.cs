using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Probes;

/// <summary>
/// Sends HTTP probes: TLS with the system CA pool (plus the Connector's own CAs when it names some), redirects
/// followed unless the probe disables them, success on any 2xx, a per-request timeout. Logs say which URL answered what; header values never reach a log.
/// </summary>
internal sealed partial class HttpProbe(
    IHttpClientFactory clients, ProbeTrustClients trustClients, IOptions<ProbeOptions> options, ILogger<HttpProbe> logger) : IProbe
{
    public const string RedirectingClient = "connectors-probe";
    public const string DirectClient = "connectors-probe-direct";
    private const string UserAgent = "connectors-probe/1.0";

    public async Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = Build(request);
        var client = request.TrustedCas is { } bundle
            ? trustClients.For(bundle, request.FollowRedirects)
            : clients.CreateClient(request.FollowRedirects ? RedirectingClient : DirectClient);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            Log.Answered(logger, request.Method, request.LogUrl, code);
            return code is >= 200 and < 300
                ? new ProbeResult(ProbeOutcome.Succeeded, code, $"status code {code}")
                : new ProbeResult(ProbeOutcome.Rejected, code, $"status code {code}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Log.TimedOut(logger, request.Method, request.LogUrl, options.Value.Timeout);
            return new ProbeResult(ProbeOutcome.TimedOut, null, GoHttpError.Timeout(request));
        }
        catch (HttpRequestException e)
        {
            var text = GoHttpError.Describe(request, e);
            Log.Failed(logger, request.Method, request.LogUrl, e.HttpRequestError);
            return new ProbeResult(ProbeOutcome.Unreachable, null, text);
        }
    }

    private static HttpRequestMessage Build(ProbeRequest request)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url)
        {
            Version = System.Net.HttpVersion.Version11,
        };
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        foreach (var (name, value) in request.Headers)
        {
            if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Host = value;
            }
            else if (string.Equals(name, "User-Agent", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Remove("User-Agent");
                message.Headers.TryAddWithoutValidation(name, value);
            }
            else if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (request.Method == "POST")
        {
            message.Content ??= new ByteArrayContent([]);
        }

        return message;
    }

    private static partial class Log
    {
        [LoggerMessage(3001, LogLevel.Debug, "Probe {Method} {Url} answered {StatusCode}")]
        public static partial void Answered(ILogger logger, string method, string url, int statusCode);

        [LoggerMessage(3002, LogLevel.Debug, "Probe {Method} {Url} timed out after {Timeout}")]
        public static partial void TimedOut(ILogger logger, string method, string url, TimeSpan timeout);

        [LoggerMessage(3003, LogLevel.Debug, "Probe {Method} {Url} failed: {Error}")]
        public static partial void Failed(ILogger logger, string method, string url, HttpRequestError error);
    }
}
