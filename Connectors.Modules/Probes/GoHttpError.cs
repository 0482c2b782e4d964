using System.Net.Sockets;
using System.Security.Authentication;

namespace Connectors.Modules.Probes;

/// <summary>
/// Writes a .NET transport failure the way Go's <c>net/http</c> client reports it (<c>*url.Error</c>):
/// <c>Get "https://x/": dial tcp: lookup x: no such host</c>, so messages match the original controller's.
/// </summary>
internal static class GoHttpError
{
    /// <summary>Go's method spelling in <c>url.Error</c>: <c>Get</c>, <c>Post</c>.</summary>
    public static string Op(string method) =>
        method.Length == 0 ? method : char.ToUpperInvariant(method[0]) + method[1..].ToLowerInvariant();

    /// <summary><c>Get "url": context deadline exceeded (Client.Timeout exceeded while awaiting headers)</c>.</summary>
    public static string Timeout(ProbeRequest request) =>
        $"{Op(request.Method)} \"{request.DisplayUrl}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)";

    /// <summary>The Go-style message of <paramref name="exception"/> for <paramref name="request"/>.</summary>
    public static string Describe(ProbeRequest request, Exception exception) =>
        $"{Op(request.Method)} \"{request.DisplayUrl}\": {Cause(request.Url, exception)}";

    private static string Cause(Uri url, Exception exception)
    {
        var hostPort = $"{url.IdnHost}:{url.Port}";
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"dial tcp: lookup {url.IdnHost}: no such host",
                        SocketError.ConnectionRefused => $"dial tcp {hostPort}: connect: connection refused",
                        SocketError.NetworkUnreachable or SocketError.HostUnreachable => $"dial tcp {hostPort}: connect: network is unreachable",
                        SocketError.TimedOut => $"dial tcp {hostPort}: i/o timeout",
                        SocketError.ConnectionReset => $"read tcp {hostPort}: read: connection reset by peer",
                        _ => $"dial tcp {hostPort}: {socket.Message}",
                    };
                case AuthenticationException tls:
                    return Tls(url, tls.Message);
            }
        }

        return exception is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded }
            ? "EOF"
            : exception.InnerException?.Message ?? exception.Message;
    }

    private static string Tls(Uri url, string message) =>
        message.Contains("RemoteCertificateNameMismatch", StringComparison.Ordinal)
            ? $"tls: failed to verify certificate: x509: certificate is not valid for {url.IdnHost}"
            : message.Contains("NotTimeValid", StringComparison.Ordinal)
                ? "tls: failed to verify certificate: x509: certificate has expired or is not yet valid"
                : message.Contains("UntrustedRoot", StringComparison.Ordinal) || message.Contains("PartialChain", StringComparison.Ordinal)
                    ? "tls: failed to verify certificate: x509: certificate signed by unknown authority"
                    : "tls: " + message;
}
