using Connectors.Modules.Model;
using Connectors.Modules.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Probes;

/// <summary>
/// Sends HTTP probes: TLS with the system CA pool (plus the Connector's own CAs when it names some), success on any
/// 2xx, one timeout over the whole exchange. Redirects are followed here, up to <see cref="ProbeOptions.MaxRedirects"/>
/// and only within the origin of the probe URL (<see cref="ProbeRedirect"/>): the probe's headers carry credentials,
/// and a tool that redirects elsewhere gets a failed probe, not a forwarded PAT. Logs say which URL answered what;
/// header values never reach a log. A registry-mode probe (<see cref="ProbeRequest.RegistryTokenFlow"/>) completes the
/// distribution token flow once: a 401 with a Bearer challenge gets a token from the challenge's realm with the probe's
/// Basic credentials, and the probe's result is the answer to the request sent again with that token.
/// </summary>
internal sealed partial class HttpProbe(
    IHttpClientFactory clients, ProbeTrustClients trustClients, RegistryTokenClient tokens, IOptions<ProbeOptions> options, ILogger<HttpProbe> logger) : IProbe
{
    public const string ClientName = "connectors-probe";
    private const string UserAgent = "connectors-probe/1.0";

    public async Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = request.TrustedCas is { } bundle ? trustClients.For(bundle) : clients.CreateClient(ClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        var current = request;
        var tokenFlow = request.RegistryTokenFlow;
        for (var redirects = 0; ; redirects++)
        {
            try
            {
                using var message = Build(current);
                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var code = (int)response.StatusCode;
                Log.Answered(logger, current.Method, current.LogUrl, code);
                if (code == 401 && tokenFlow && Challenge(response) is { } challenge)
                {
                    tokenFlow = false;
                    var (withToken, failed) = await WithTokenAsync(client, current, challenge, timeout.Token);
                    if (failed is not null)
                    {
                        return failed;
                    }

                    current = withToken!;
                    redirects--;
                    continue;
                }

                var next = request.FollowRedirects && ProbeRedirect.IsRedirect(code) && redirects < options.Value.MaxRedirects
                    ? ProbeRedirect.Next(current, code, response.Headers)
                    : null;
                if (next is null)
                {
                    if (request.Condition is { } condition)
                    {
                        return await EvaluateAsync(condition, response, timeout.Token);
                    }

                    return code is >= 200 and < 300
                        ? new ProbeResult(ProbeOutcome.Succeeded, code, $"status code {code}")
                        : new ProbeResult(ProbeOutcome.Rejected, code, $"status code {code}");
                }

                if (!ProbeRedirect.SameOrigin(next.Url, request.Url))
                {
                    return Refused(request, current, next, code);
                }

                current = next;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Log.TimedOut(logger, current.Method, current.LogUrl, options.Value.Timeout);
                return new ProbeResult(ProbeOutcome.TimedOut, null, GoHttpError.Timeout(current));
            }
            catch (HttpRequestException e)
            {
                Log.Failed(logger, current.Method, current.LogUrl, e.HttpRequestError);
                return new ProbeResult(ProbeOutcome.Unreachable, null, GoHttpError.Describe(current, e));
            }
        }
    }

    /// <summary>
    /// A redirect off the probe's origin, not followed: the tool answered, but the answer is a 3xx, so the outcome is
    /// <see cref="ProbeOutcome.Rejected"/> (not ready). The message names both origins and nothing else of the URL.
    /// </summary>
    private ProbeResult Refused(ProbeRequest request, ProbeRequest current, ProbeRequest next, int code)
    {
        var own = ProbeRedirect.Origin(request.Url);
        var target = ProbeRedirect.Origin(next.Url);
        Log.CrossOrigin(logger, current.Method, current.LogUrl, code, target);
        return new ProbeResult(
            ProbeOutcome.Rejected,
            code,
            $"status code {code}: redirect to another origin {target} not followed (probe headers are only sent to {own})");
    }

    /// <summary>
    /// The outcome under a CEL condition: the condition alone decides (the status code is one of its variables, as
    /// <c>statusCode == 200 &amp;&amp; ...</c> in the catalogue shows; a liveness condition may accept a 401). The body
    /// is read up to <see cref="CelResponse.MaxBodyBytes"/>, and only when the condition can see it
    /// (<see cref="CelCondition.ReadsBody"/>); the message quotes the expression, never the body.
    /// </summary>
    private static async Task<ProbeResult> EvaluateAsync(CelCondition condition, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        var body = condition.ReadsBody ? await ReadBoundedAsync(response.Content, cancellationToken) : [];
        var headers = response.Headers.Concat(response.Content.Headers);
        var (value, error) = condition.Evaluate(CelResponse.Variables(code, headers, body, out var tooManyValues));
        var note = tooManyValues ? $" ({CelResponse.TooManyValuesNote})" : string.Empty;
        if (error is not null)
        {
            return new ProbeResult(ProbeOutcome.ConditionError, code, $"status code {code}: response.cel \"{condition.Expression}\" could not be evaluated: {error}{note}");
        }

        return value == true
            ? new ProbeResult(ProbeOutcome.Succeeded, code, $"status code {code}")
            : new ProbeResult(ProbeOutcome.Rejected, code, $"status code {code}: response.cel \"{condition.Expression}\" is false{note}");
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while (body.Length < CelResponse.MaxBodyBytes
            && (read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, CelResponse.MaxBodyBytes - body.Length)), cancellationToken)) > 0)
        {
            body.Write(buffer, 0, read);
        }

        return body.ToArray();
    }


    private static AuthChallenge? Challenge(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values)
        && AuthChallenge.Parse(values).FirstOrDefault(c => c.IsBearer && !string.IsNullOrEmpty(c.Realm)) is { } bearer
            ? bearer
            : null;

    /// <summary>
    /// The probe again with <c>Authorization: Bearer</c> from the challenge's token service, asked with the probe's
    /// <c>Basic</c> credentials (none: anonymous); or the failed probe's result when the service gives no token.
    /// </summary>
    private async Task<(ProbeRequest? Request, ProbeResult? Failed)> WithTokenAsync(
        HttpMessageInvoker client, ProbeRequest current, AuthChallenge challenge, CancellationToken cancellationToken)
    {
        var fetched = await tokens.FetchAsync(client, current.Url, challenge, challenge.Scopes, BasicCredential(current.Headers), cancellationToken);
        if (fetched.Token is not { } token)
        {
            Log.NoToken(logger, current.Method, current.LogUrl, fetched.StatusCode ?? 0);
            return (null, new ProbeResult(ProbeOutcome.Rejected, fetched.StatusCode ?? 401, $"status code 401: registry token flow failed: {fetched.Error}"));
        }

        var headers = current.Headers.Where(h => !string.Equals(h.Key, "Authorization", StringComparison.OrdinalIgnoreCase)).ToList();
        headers.Add(new("Authorization", token.Authorization));
        return (current with { Headers = headers }, null);
    }

    /// <summary>The user and password of the probe's <c>Authorization: Basic</c> header, if it has one.</summary>
    private static RegistryCredential? BasicCredential(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            var trimmed = value.Trim();
            if (!string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase) || !trimmed.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            return BasicCredentials.TryDecode(trimmed.AsSpan(6).Trim(), out var user, out var password) ? new RegistryCredential(user, password) : null;
        }

        return null;
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

        [LoggerMessage(3005, LogLevel.Debug, "Probe {Method} {Url}: the registry token service answered {StatusCode}, no token")]
        public static partial void NoToken(ILogger logger, string method, string url, int statusCode);

        [LoggerMessage(3004, LogLevel.Warning, "Probe {Method} {Url} answered {StatusCode} with a redirect to another origin {Target}; not followed, the probe fails")]
        public static partial void CrossOrigin(ILogger logger, string method, string url, int statusCode, string target);
    }
}
