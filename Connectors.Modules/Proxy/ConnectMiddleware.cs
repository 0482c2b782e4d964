using System.Net.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Kestrel connection middleware that takes <c>CONNECT</c> at the connection layer (Kestrel parses CONNECT but does
/// not hand over the tunnel). It peeks at the first request line: anything else is left unread for Kestrel. A
/// CONNECT is authenticated and authorized, answered <c>200 Connection Established</c>, and then TLS is terminated
/// with a leaf minted for the target; the decrypted stream becomes the connection's transport, so Kestrel's own
/// HTTP/1.1 parser serves the requests inside, which the pipeline treats as forward requests to the target.
/// </summary>
internal sealed partial class ConnectMiddleware(
    ProxyAccess access,
    ProxyCertificateAuthority authority,
    ProxyMetrics metrics,
    AccessLog accessLog,
    IOptions<ProxyOptions> options,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<ConnectMiddleware>();

    private static readonly byte[] Established = "HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray();

    public ConnectionDelegate Wrap(ConnectionDelegate next) => connection => HandleAsync(connection, next);

    private async Task HandleAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        ConnectHead? head;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            // A client that sends its first head slowly (slowloris) is cut off like Kestrel's own RequestHeadersTimeout;
            // the timer lives only while the head is read, not for the whole connection.
            timeout.CancelAfter(options.Value.HeadTimeout);
            try
            {
                head = await ReadConnectHeadAsync(connection, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (head is null)
        {
            await next(connection);
            return;
        }

        var started = timeProvider.GetTimestamp();
        var tunnel = await AuthorizeAsync(connection, head, started, connection.ConnectionClosed);
        if (tunnel is null)
        {
            return;
        }

        if (tunnel.Value.Blind)
        {
            await BlindTunnel.RunAsync(connection, head, options.Value.ConnectTimeout, Established, connection.ConnectionClosed);
            Finish(head, tunnel.Value.Check, StatusCodes.Status200OK, started);
            return;
        }

        await InterceptAsync(connection, head, tunnel.Value.Context!, tunnel.Value.Credential, next);
    }

    private static async Task<ConnectHead?> ReadConnectHeadAsync(ConnectionContext connection, CancellationToken cancellationToken)
    {
        var input = connection.Transport.Input;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var looks = ConnectHead.LooksLikeConnect(buffer);
            if (looks == false || (looks is null && result.IsCompleted))
            {
                // Not CONNECT: leave every byte for Kestrel's HTTP parser.
                input.AdvanceTo(buffer.Start, buffer.Start);
                return null;
            }

            if (looks == true && ConnectHead.FindEnd(buffer) is { } end)
            {
                if (buffer.Slice(0, end).Length > ConnectHead.MaxLength)
                {
                    // The whole head may arrive in one read: its size is checked here too, not only while it grows.
                    input.AdvanceTo(buffer.End);
                    await RejectAsync(connection, StatusCodes.Status431RequestHeaderFieldsTooLarge, $"CONNECT head larger than {ConnectHead.MaxLength} bytes");
                    throw new OperationCanceledException();
                }

                var (head, error) = ConnectHead.Parse(buffer.Slice(0, end));
                input.AdvanceTo(end);
                if (head is null)
                {
                    await RejectAsync(connection, StatusCodes.Status400BadRequest, error!);
                    throw new OperationCanceledException();
                }

                return head;
            }

            if (buffer.Length > ConnectHead.MaxLength || result.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                await RejectAsync(connection, StatusCodes.Status431RequestHeaderFieldsTooLarge, "CONNECT head too large or incomplete");
                throw new OperationCanceledException();
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private async Task<(bool Blind, SslStreamCertificateContext? Context, ProxyCredential Credential, AccessCheck Check)?> AuthorizeAsync(
        ConnectionContext connection, ConnectHead head, long started, CancellationToken cancellationToken)
    {
        var (credential, error) = ClientCredentials.ReadProxyCredential(head.ProxyAuthorization);
        if (credential is null)
        {
            await RefuseAsync(connection, head, null, StatusCodes.Status407ProxyAuthenticationRequired,
                error ?? "proxy authentication required: <namespace>/<connector>:<token>", "missing", started);
            return null;
        }

        var check = await access.CheckForwardAsync(credential, a => a.MatchesTunnel(head.Host, head.Port), cancellationToken);
        if (!check.IsAllowed)
        {
            var (status, failure) = check.Outcome switch
            {
                AccessCheckOutcome.Unauthenticated => (StatusCodes.Status407ProxyAuthenticationRequired, "unauthenticated"),
                AccessCheckOutcome.Forbidden => (StatusCodes.Status403Forbidden, "forbidden"),
                AccessCheckOutcome.NotFound => (StatusCodes.Status404NotFound, (string?)null),
                _ => (StatusCodes.Status503ServiceUnavailable, "unavailable"),
            };
            await RefuseAsync(connection, head, check, status, check.Message ?? "access denied", failure, started);
            return null;
        }

        if (check.Connector is null)
        {
            if (options.Value.AllowBlindTunnels)
            {
                return (true, null, credential, check);
            }

            await RefuseAsync(connection, head, check, StatusCodes.Status403Forbidden,
                $"CONNECT to {head.Host}:{head.Port} is not allowed: it matches no address of connector(s) {credential}", null, started);
            return null;
        }

        var (context, leafError) = authority.GetLeaf(head.Host);
        if (context is null)
        {
            await RefuseAsync(connection, head, check, StatusCodes.Status503ServiceUnavailable, leafError!, null, started);
            return null;
        }

        return (false, context, credential, check);
    }

    private async Task InterceptAsync(ConnectionContext connection, ConnectHead head, SslStreamCertificateContext context, ProxyCredential credential, ConnectionDelegate next)
    {
        var original = connection.Transport;
        await original.Output.WriteAsync(Established, connection.ConnectionClosed);
        var tls = new SslStream(new DuplexPipeStream(original), leaveInnerStreamOpen: false);
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
            handshake.CancelAfter(options.Value.ConnectTimeout);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = context,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                ClientCertificateRequired = false,
            }, handshake.Token);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            Log.HandshakeFailed(_logger, head.Host, head.Port, e.Message);
            await tls.DisposeAsync();
            return;
        }

        connection.Items[TunnelTarget.ItemKey] = new TunnelTarget(head.Host, head.Port, credential);
        connection.Transport = new StreamDuplexPipe(tls);
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = original;
            await tls.DisposeAsync();
        }
    }

    private async Task RefuseAsync(ConnectionContext connection, ConnectHead head, AccessCheck? check, int status, string message, string? failure, long started)
    {
        await RejectAsync(connection, status, message);
        var key = check?.Authorized;
        metrics.Record(Exchange.Refused(key, check?.Subject, status, failure), timeProvider.GetElapsedTime(started));
        accessLog.Record(new AccessEntry(key?.ToString() ?? "-", check?.Subject ?? "-", "CONNECT", $"{head.Host}:{head.Port}", "-", status, 0, 0,
            timeProvider.GetElapsedTime(started).TotalMilliseconds));
    }

    private void Finish(ConnectHead head, AccessCheck check, int status, long started)
    {
        var elapsed = timeProvider.GetElapsedTime(started);
        metrics.Record(Exchange.Refused(check.Authorized, check.Subject, status, null), elapsed);
        accessLog.Record(new AccessEntry(check.Authorized?.ToString() ?? "-", check.Subject ?? "-", "CONNECT", $"{head.Host}:{head.Port}", "-", status, 0, 0, elapsed.TotalMilliseconds));
    }

    private static async Task RejectAsync(ConnectionContext connection, int status, string message)
    {
        try
        {
            await connection.Transport.Output.WriteAsync(ProxyResponses.Raw(status, message), connection.ConnectionClosed);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client is gone.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(6010, LogLevel.Debug, "TLS handshake inside CONNECT {Host}:{Port} failed: {Reason}")]
        public static partial void HandshakeFailed(ILogger logger, string host, int port, string reason);
    }
}
