using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Copies one request upstream and the response back, streaming both bodies through pooled buffers. Hop-by-hop
/// fields, <c>Host</c> (the upstream gets the tool's own) and every client credential header are dropped;
/// <c>Connection: Upgrade</c> exchanges (WebSocket, SPDY) become a two-way byte pump after the 101.
/// </summary>
internal sealed partial class Forwarder
{
    private const int BufferSize = 64 * 1024;

    // The first read of a response body is offered one of Kestrel's 4 KiB pool blocks: a 64 KiB hint rents arrays
    // past the pool, and the unadvanced memory of the last read stays with each keep-alive connection's pipe
    // (1,000 connections: +270 MiB). Reads grow to 64 KiB once one fills what it was offered.
    private const int FirstReadSize = 4 * 1024;

    /// <summary>Builds the upstream request; <paramref name="strip"/> names extra client headers to drop (extracted token headers).</summary>
    public static HttpRequestMessage CreateRequest(HttpContext context, Uri upstream, IReadOnlyList<string>? strip, out RequestBodyContent? body)
    {
        var incoming = context.Request;
        var request = new HttpRequestMessage(HttpMethod.Parse(incoming.Method), upstream)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        body = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true
            ? new RequestBodyContent(incoming.Body, incoming.ContentLength)
            : null;
        request.Content = body;
        var connection = incoming.Headers.Connection;
        var checkListed = HopByHop.ListsExtraFields(connection);
        foreach (var (name, values) in incoming.Headers)
        {
            if (HopByHop.IsHopByHop(name) || name.Equals(HeaderNames.Host, StringComparison.OrdinalIgnoreCase)
                || ClientCredentials.IsClientCredentialHeader(name) || IsStripped(strip, name) || (checkListed && HopByHop.IsListedIn(connection, name)))
            {
                continue;
            }

            if (name.Equals(HeaderNames.Expect, StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.ExpectContinue = body is not null && values.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase);
                continue;
            }

            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                if (body is not null && !name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
                {
                    AddHeader(body.Headers, name, values);
                }

                continue;
            }

            AddHeader(request.Headers, name, values);
        }

        if (body?.DeclaredLength is { } length)
        {
            body.Headers.ContentLength = length;
        }

        if (IsUpgrade(context))
        {
            request.Headers.TryAddWithoutValidation(HeaderNames.Connection, "Upgrade");
            request.Headers.TryAddWithoutValidation(HeaderNames.Upgrade, (IEnumerable<string>)incoming.Headers.Upgrade);
        }

        return request;
    }

    /// <summary>Sends <paramref name="request"/> and relays the response; upstream failures become 502/504 answers.</summary>
    public static async Task<ForwardResult> SendAsync(
        HttpMessageInvoker invoker, HttpRequestMessage request, RequestBodyContent? body, HttpContext context, ReverseRewrite? rewrite, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var status = await ProxyResponses.WriteAsync(context, StatusCodes.Status504GatewayTimeout, $"upstream {request.RequestUri?.Authority} did not answer in time", cancellationToken);
            return new ForwardResult(status, body?.BytesSent ?? 0, 0);
        }
        catch (HttpRequestException e)
        {
            var status = await ProxyResponses.WriteAsync(context, StatusCodes.Status502BadGateway, $"upstream {request.RequestUri?.Authority}: {e.Message}", cancellationToken);
            return new ForwardResult(status, body?.BytesSent ?? 0, 0);
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            CopyResponseHeaders(response, context.Response, rewrite);
            if (response.StatusCode == HttpStatusCode.SwitchingProtocols && IsUpgrade(context))
            {
                var pumped = await PumpUpgradeAsync(context, response, cancellationToken);
                return new ForwardResult(StatusCodes.Status101SwitchingProtocols, pumped.In, pumped.Out);
            }

            var bytesOut = await CopyBodyAsync(response, context, cancellationToken);
            return new ForwardResult(context.Response.StatusCode, body?.BytesSent ?? 0, bytesOut);
        }
    }

    private static async Task<long> CopyBodyAsync(HttpResponseMessage response, HttpContext context, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is null)
        {
            // Streams with no declared length (watches, logs) must show their headers before the first byte.
            await context.Response.StartAsync(cancellationToken);
        }

        // Upstream bytes are read straight into the response pipe's memory: one copy less than a buffer in between.
        long total = 0;
        var writer = context.Response.BodyWriter;
        var remaining = response.Content.Headers.ContentLength;
        var hint = FirstReadSize;
        await using (var source = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            // With a declared length, no read after the last byte: it would only take pipe memory and keep it.
            while (remaining is null or > 0)
            {
                var memory = writer.GetMemory(remaining is { } left ? (int)Math.Min(left, hint) : hint);
                var read = await source.ReadAsync(memory, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                writer.Advance(read);
                total += read;
                remaining -= read;
                if (read == memory.Length)
                {
                    hint = BufferSize;
                }

                var flushed = await writer.FlushAsync(cancellationToken);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }

        if (response.TrailingHeaders.NonValidated.Count > 0 && context.Response.SupportsTrailers())
        {
            foreach (var (name, values) in response.TrailingHeaders)
            {
                context.Response.AppendTrailer(name, new StringValues([.. values]));
            }
        }

        return total;
    }

    private static void CopyResponseHeaders(HttpResponseMessage response, HttpResponse target, ReverseRewrite? rewrite)
    {
        var upgrade = response.StatusCode == HttpStatusCode.SwitchingProtocols;
        var connection = response.Headers.NonValidated.TryGetValues(HeaderNames.Connection, out var listed) ? new StringValues([.. listed]) : StringValues.Empty;
        var checkListed = HopByHop.ListsExtraFields(connection);
        CopyHeaders(response.Headers, target, rewrite, upgrade, connection, checkListed);
        CopyHeaders(response.Content.Headers, target, rewrite, upgrade, connection, checkListed);
    }

    private static void CopyHeaders(
        System.Net.Http.Headers.HttpHeaders headers, HttpResponse target, ReverseRewrite? rewrite, bool upgrade, StringValues connection, bool checkListed)
    {
        foreach (var (name, values) in headers.NonValidated)
        {
            if ((HopByHop.IsHopByHop(name) && !(upgrade && (name.Equals(HeaderNames.Upgrade, StringComparison.OrdinalIgnoreCase) || name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase))))
                || (checkListed && HopByHop.IsListedIn(connection, name)))
            {
                continue;
            }

            if (rewrite is not null && name.Equals(HeaderNames.Location, StringComparison.OrdinalIgnoreCase))
            {
                target.Headers.Location = rewrite.Rewrite(values.ToString());
                continue;
            }

            if (rewrite is not null && name.Equals(HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase))
            {
                var cookies = new string[values.Count];
                var i = 0;
                foreach (var value in values)
                {
                    cookies[i++] = rewrite.RewriteCookie(value);
                }

                target.Headers.SetCookie = new StringValues(cookies);
                continue;
            }

            target.Headers[name] = values.Count == 1 ? new StringValues(values.ToString()) : new StringValues([.. values]);
        }
    }

    private static bool IsUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
        && HopByHop.HasUpgrade(context.Request.Headers.Connection)
        && !StringValues.IsNullOrEmpty(context.Request.Headers.Upgrade);

    private static bool IsStripped(IReadOnlyList<string>? strip, string name)
    {
        if (strip is null)
        {
            return false;
        }

        foreach (var candidate in strip)
        {
            if (candidate.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static void AddHeader(System.Net.Http.Headers.HttpHeaders headers, string name, StringValues values)
    {
        if (values.Count == 1)
        {
            headers.TryAddWithoutValidation(name, values.ToString());
        }
        else
        {
            headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
        }
    }
}
