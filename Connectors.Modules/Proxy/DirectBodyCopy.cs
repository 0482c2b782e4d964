using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Connectors.Modules.Proxy;

/// <summary>
/// A large response body copied from the tool straight into Kestrel's response pipe (<c>GetMemory</c>, read, <c>Advance</c>,
/// <c>FlushAsync</c>): the tool's bytes land in the memory the client's socket sends from, where YARP's copy loop reads
/// into a pooled array and writes that into the pipe (one memory copy more per byte). Taken only where nothing but the
/// bytes can follow the body: an HTTP/1.x answer with a <c>Content-Length</c> of at least <see cref="Threshold"/> (no
/// chunked framing, so no trailers), to an HTTP/1.x client whose request carries no body (nothing is still being sent
/// upstream), not to <c>HEAD</c>. Everything else (trailers, HTTP/2, upgrades, small or unsized bodies) stays YARP's.
/// </summary>
internal static class DirectBodyCopy
{
    /// <summary>Bodies from this size on are copied directly; below it the per-request setup is not worth it.</summary>
    public const long Threshold = 1024 * 1024;

    /// <summary>How much pipe memory one read asks for: larger reads mean fewer system calls both ways.</summary>
    internal const int ChunkSize = 256 * 1024;

    /// <summary>Whether the body of <paramref name="response"/> may be copied directly (see the type's summary).</summary>
    public static bool Applies(HttpContext context, HttpResponseMessage response)
    {
        var request = context.Request;
        return response.Version.Major == 1
            && (HttpProtocol.IsHttp11(request.Protocol) || HttpProtocol.IsHttp10(request.Protocol))
            && response.StatusCode is >= HttpStatusCode.OK and not HttpStatusCode.NoContent and not HttpStatusCode.NotModified
            && response.Headers.TransferEncodingChunked != true
            && response.Content.Headers.ContentLength is >= Threshold
            && context.Response.ContentLength == response.Content.Headers.ContentLength
            && !HttpMethods.IsHead(request.Method)
            && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true
            && context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest != true;
    }

    /// <summary>
    /// Copies the body; the response's headers are sent first. A failure on either side aborts the client's connection
    /// (a cut-short body must not look complete, as YARP does). Returns the bytes handed to the client's pipe.
    /// </summary>
    /// <param name="context">The client's exchange.</param>
    /// <param name="body">Kestrel's own response body (not a stream set over it since, whose writer would buffer and copy once more).</param>
    /// <param name="response">The tool's answer.</param>
    /// <param name="cancellationToken">YARP's activity token (the client's abort included).</param>
    public static async Task<DirectCopyResult> CopyAsync(HttpContext context, IHttpResponseBodyFeature body, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        long copied = 0;
        var writer = body.Writer;
        try
        {
            // With the headers out, GetMemory hands out the transport's own pipe memory.
            await body.StartAsync(cancellationToken);
            await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
            while (true)
            {
                // Once the client is gone Kestrel's flushes return at once without writing, and reads of a tool that
                // keeps sending complete from its buffers without looking at the token: only this check ends the copy.
                cancellationToken.ThrowIfCancellationRequested();
                var memory = writer.GetMemory(ChunkSize);
                int read;
                try
                {
                    read = await source.ReadAsync(memory, cancellationToken);
                }
                catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
                {
                    context.Abort();
                    return new DirectCopyResult(copied, ForwarderError.ResponseBodyDestination, e);
                }

                if (read == 0)
                {
                    return new DirectCopyResult(copied, ForwarderError.None, null);
                }

                writer.Advance(read);
                copied += read;
                var flushed = await writer.FlushAsync(cancellationToken);
                if (flushed.IsCanceled || (flushed.IsCompleted && copied < response.Content.Headers.ContentLength))
                {
                    context.Abort();
                    return new DirectCopyResult(copied, ForwarderError.ResponseBodyClient, new IOException("the client's connection closed during the response body"));
                }
            }
        }
        catch (Exception e) when (!IsFatal(e))
        {
            // The client went away (its abort cancels the token), its connection broke under a write, or anything else
            // once the answer has started: YARP could only try to clear a started response, so the copy ends here.
            context.Abort();
            return new DirectCopyResult(copied, cancellationToken.IsCancellationRequested ? ForwarderError.ResponseBodyCanceled : ForwarderError.ResponseBodyClient, e);
        }
    }

    private static bool IsFatal(Exception e) => e is OutOfMemoryException or StackOverflowException or AccessViolationException;
}
