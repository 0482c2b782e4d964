using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Connectors.Host.Doctor;

/// <summary>
/// Step 5: the proxy answers at the Connector's proxy address and trusts the token. A request with the token goes
/// to <c>status.proxy.httpAddress.url</c> (path or host form, as the Connector's status says); the proxy's own
/// answers (bodies starting with <c>connectors proxy: </c>, see Proxy/ProxyResponses) are told apart from the tool's.
/// </summary>
internal static class ProxyStep
{
    /// <summary>How the proxy's own answers start (Proxy/ProxyResponses).</summary>
    public const string OwnAnswerPrefix = "connectors proxy: ";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static async Task<StepResult> CheckAsync(HttpMessageInvoker http, DoctorRequest request, string proxyAddress, string token, CancellationToken cancellationToken)
    {
        var subject = "proxy " + proxyAddress;
        if (!Uri.TryCreate(proxyAddress, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            return StepResult.Fail(subject, "the Connector's status.proxy.httpAddress.url is not an http(s) URL; check the class's spec.proxy");
        }

        var url = new Uri(address.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        if (request.ProxyUrl is { } via)
        {
            message.RequestUri = new UriBuilder(url) { Scheme = via.Scheme, Host = via.Host, Port = via.Port }.Uri;
            message.Headers.Host = url.Authority;
        }
        else if (await UnresolvableAsync(url.DnsSafeHost, cancellationToken) is { } dns)
        {
            return IsClusterName(url.DnsSafeHost)
                ? StepResult.Skip(subject, $"{url.DnsSafeHost} is a cluster DNS name that does not resolve here ({dns}); run the doctor in a pod, or "
                    + $"`kubectl -n {request.ComponentsNamespace} port-forward svc/connectors-proxy-service 8080:80` and pass --proxy-url http://127.0.0.1:8080")
                : StepResult.Fail(subject, $"{url.DnsSafeHost} does not resolve ({dns}); check the class's spec.proxy and the proxy Service's external URL");
        }

        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await http.SendAsync(message, timeout.Token);
            var body = await ReadHeadAsync(response, timeout.Token);
            var status = (int)response.StatusCode;
            return body.StartsWith(OwnAnswerPrefix, StringComparison.Ordinal)
                ? StepResult.Fail(subject, Refusal(status, FirstLine(body[OwnAnswerPrefix.Length..]), request))
                : StepResult.Ok(subject, $"accepted the token and forwarded the request to the tool (the tool answered {status})");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return StepResult.Fail(subject, $"no answer within {Timeout.TotalSeconds:0} s; is the proxy overloaded, or is a firewall dropping {message.RequestUri!.Authority}?");
        }
        catch (HttpRequestException e)
        {
            return StepResult.Fail(subject, $"no answer from {message.RequestUri!.Authority}: {Reason(e)}; is the proxy running? "
                + $"`kubectl -n {request.ComponentsNamespace} get pods -l app.kubernetes.io/component=proxy`");
        }
    }

    /// <summary>What the proxy's own answer means and what to do about it.</summary>
    private static string Refusal(int status, string message, DoctorRequest request) => status switch
    {
        401 or 407 => $"the proxy does not accept the token ({status} {message}); compare with the token step: the proxy reviews it with the same audiences",
        403 => $"the proxy denies access ({status} {message}); the ServiceAccount needs get on the Connector (the rbac step), and with "
            + $"enable-connector-proxy-permissions in ConfigMap {request.ComponentsNamespace}/connectors-config also get on connectors/proxy",
        404 => $"the proxy does not know the Connector ({status} {message}); does the proxy watch the same cluster?",
        502 => $"the proxy trusts the token but cannot reach the tool ({status} {message}); see the Connector's LivenessReady condition",
        503 => $"the proxy cannot check tokens now ({status} {message}); see the proxy's logs",
        _ => $"the proxy refused the request ({status} {message})",
    };

    /// <summary>Null when <paramref name="host"/> resolves (or is an IP address), else why not.</summary>
    private static async Task<string?> UnresolvableAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out _))
        {
            return null;
        }

        try
        {
            await Dns.GetHostAddressesAsync(host, cancellationToken);
            return null;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode == SocketError.HostNotFound ? "no such host" : e.Message;
        }
    }

    private static bool IsClusterName(string host) =>
        host.EndsWith(".svc", StringComparison.OrdinalIgnoreCase) || host.Contains(".svc.", StringComparison.OrdinalIgnoreCase);

    private static string Reason(HttpRequestException e) => e.InnerException switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
        SocketException socket => socket.Message,
        { } inner => inner.Message,
        _ => e.Message,
    };

    /// <summary>The first 4 KiB of the body: enough for the proxy's one-line answers, never a whole download.</summary>
    private static async Task<string> ReadHeadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[4096];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return (end < 0 ? text : text[..end]).Trim();
    }
}
