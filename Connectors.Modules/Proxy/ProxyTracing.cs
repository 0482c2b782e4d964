using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Connectors.Modules.Proxy;

/// <summary>
/// Spans of the proxy (source <c>Connectors.Proxy</c>): one per request, continuing the client's W3C
/// <c>traceparent</c>, with a <c>review</c> and a <c>forward</c> child. Created only while a tracer listens
/// (<c>--otlp-endpoint</c>); otherwise the client's trace headers reach the tool untouched. Attributes name the
/// Connector, the subject and the status, never a token or header value.
/// </summary>
internal static class ProxyTracing
{
    public static readonly ActivitySource Source = new("Connectors.Proxy");

    /// <summary>The request's span, a child of the client's <c>traceparent</c> when it sent a valid one; null when no one listens.</summary>
    public static Activity? StartRequest(HttpContext context)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var headers = context.Request.Headers;
        ActivityContext.TryParse(headers[HeaderNames.TraceParent].ToString(), headers[HeaderNames.TraceState].ToString(), out var parent);
        return Source.StartActivity("proxy " + context.Request.Method, ActivityKind.Server, parent);
    }

    /// <summary>Records what the request came to on its span.</summary>
    public static void Finish(Activity? activity, Exchange exchange)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("connectors.connector", exchange.Connector);
        activity.SetTag("enduser.id", exchange.Subject);
        activity.SetTag("http.response.status_code", exchange.Result.Status);
        if (exchange.Result.Status >= 500)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>
    /// With a span of ours current, the tool's request carries it as the parent (same trace id); with none, the client's
    /// <c>traceparent</c> is left as it was.
    /// </summary>
    public static void Propagate(HttpRequestMessage request)
    {
        if (Activity.Current is { Recorded: true, IdFormat: ActivityIdFormat.W3C } current && current.Source == Source)
        {
            request.Headers.Remove(HeaderNames.TraceParent);
            request.Headers.TryAddWithoutValidation(HeaderNames.TraceParent, current.Id);
        }
    }
}
