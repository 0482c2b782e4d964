using System.Text;
using Connectors.Modules.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Connectors.Modules.Proxy;

/// <summary>
/// The proxy's own answers: a status and one line of text naming the reason, never a credential. Under the
/// distribution API root (<c>/v2</c>) the answer is the registry error JSON instead, with the API version header, so
/// registry clients print the reason.
/// </summary>
internal static class ProxyResponses
{
    public const string Realm = "Basic realm=\"connectors\"";

    /// <summary>Writes the answer (or aborts the connection when the response has already started); returns the status.</summary>
    public static Task<int> WriteAsync(HttpContext context, int status, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var registryCode = RequestRouter.IsRegistryApi(context.Request.Path.Value ?? string.Empty) ? DistributionError.CodeFor(status) : null;
        return WriteCoreAsync(context, status, challenge: true, registryCode, message, cancellationToken);
    }

    /// <summary>
    /// A registry-mode answer in the distribution error format whatever the client's path form, with the spec's
    /// <paramref name="code"/> and no authentication challenge (or aborts the connection when the response has already
    /// started); returns the status.
    /// </summary>
    public static Task<int> WriteRegistryErrorAsync(HttpContext context, int status, string code, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(code);
        return WriteCoreAsync(context, status, challenge: false, code, message, cancellationToken);
    }

    /// <summary>
    /// The one writer: <paramref name="registryCode"/> set gives the distribution error JSON with the API version header,
    /// null the text line; <paramref name="challenge"/> adds the Basic challenge of a 401 or 407.
    /// </summary>
    private static async Task<int> WriteCoreAsync(HttpContext context, int status, bool challenge, string? registryCode, string message, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return context.Response.StatusCode;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        if (challenge && status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = Realm;
        }
        else if (challenge && status == StatusCodes.Status407ProxyAuthenticationRequired)
        {
            context.Response.Headers.ProxyAuthenticate = Realm;
        }

        byte[] body;
        if (registryCode is not null)
        {
            body = DistributionError.Body(registryCode, "connectors proxy: " + message);
            context.Response.ContentType = DistributionError.ContentType;
            context.Response.Headers[DistributionError.ApiVersionHeader] = DistributionError.ApiVersion;
        }
        else
        {
            body = Body(message);
            context.Response.ContentType = "text/plain; charset=utf-8";
        }

        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, cancellationToken);
        return status;
    }

    /// <summary>A raw HTTP/1.1 answer for the connection layer (CONNECT), closing the connection.</summary>
    public static byte[] Raw(int status, string message)
    {
        var body = Body(message);
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(status).Append(' ').Append(ReasonPhrases.GetReasonPhrase(status)).Append("\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("Content-Length: ").Append(body.Length).Append("\r\n")
            .Append("Connection: close\r\n");
        if (status == StatusCodes.Status407ProxyAuthenticationRequired)
        {
            head.Append(HeaderNames.ProxyAuthenticate).Append(": ").Append(Realm).Append("\r\n");
        }

        head.Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }

    private static byte[] Body(string message) => Encoding.UTF8.GetBytes("connectors proxy: " + message + "\n");
}
