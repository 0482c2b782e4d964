using System.Globalization;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Connectors.Modules.Csi;

/// <summary>
/// Serves unary gRPC calls on a Kestrel HTTP/2 request pipeline: method routing by <c>:path</c>, one
/// length-prefixed request message, one response message and the <c>grpc-status</c>/<c>grpc-message</c>
/// trailers (or a trailers-only response for errors). Unknown methods answer UNIMPLEMENTED.
/// </summary>
internal sealed partial class GrpcDispatcher(ILogger<GrpcDispatcher> logger, int maxMessageBytes)
{
    private readonly Dictionary<string, Func<byte[], CancellationToken, Task<IMessage>>> _methods = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Methods => _methods.Keys;

    /// <summary>Adds <c>/package.Service/Method</c>.</summary>
    public void MapUnary<TRequest, TResponse>(string path, MessageParser<TRequest> parser, Func<TRequest, CancellationToken, Task<TResponse>> handler)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        _methods.Add(path, async (bytes, cancellationToken) =>
        {
            TRequest request;
            try
            {
                request = parser.ParseFrom(bytes);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new RpcException(GrpcStatusCode.Internal, "grpc: error unmarshalling request: " + e.Message);
            }

            return await handler(request, cancellationToken);
        });
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (request.ContentType is not { } contentType || !contentType.StartsWith(GrpcFraming.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        var path = request.Path.Value ?? string.Empty;
        if (!_methods.TryGetValue(path, out var method))
        {
            Log.UnknownMethod(logger, path);
            WriteStatus(context.Response, GrpcStatusCode.Unimplemented, $"unknown method {path}");
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (ReadTimeout(request.Headers["grpc-timeout"]) is { } timeout)
        {
            deadline.CancelAfter(timeout);
        }

        try
        {
            var message = await GrpcFraming.ReadSingleMessageAsync(request.BodyReader, maxMessageBytes, deadline.Token);
            var reply = await method(message, deadline.Token);
            await WriteReplyAsync(context.Response, reply, deadline.Token);
        }
        catch (RpcException e)
        {
            WriteStatus(context.Response, e.Status, e.Message);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var status = context.RequestAborted.IsCancellationRequested ? GrpcStatusCode.Cancelled : GrpcStatusCode.DeadlineExceeded;
            WriteStatus(context.Response, status, status == GrpcStatusCode.Cancelled ? "the call was cancelled" : "the deadline was exceeded");
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            Log.Failed(logger, path, e);
            WriteStatus(context.Response, GrpcStatusCode.Internal, "internal error: " + e.GetType().Name);
        }
    }

    private static async Task WriteReplyAsync(HttpResponse response, IMessage reply, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcFraming.ContentType;
        var body = reply.ToByteArray();
        GrpcFraming.WriteMessage(response.BodyWriter, body);
        await response.BodyWriter.FlushAsync(cancellationToken);
        response.AppendTrailer("grpc-status", "0");
    }

    /// <summary>A trailers-only response: the status travels in the only HEADERS frame, with END_STREAM.</summary>
    private static void WriteStatus(HttpResponse response, GrpcStatusCode status, string message)
    {
        if (response.HasStarted)
        {
            response.AppendTrailer("grpc-status", ((int)status).ToString(CultureInfo.InvariantCulture));
            response.AppendTrailer("grpc-message", GrpcFraming.EncodeMessage(message));
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcFraming.ContentType;
        response.Headers["grpc-status"] = ((int)status).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = GrpcFraming.EncodeMessage(message);
    }

    /// <summary>Reads <c>grpc-timeout</c>: up to 8 digits and a unit H, M, S, m (ms), u (µs) or n (ns).</summary>
    internal static TimeSpan? ReadTimeout(StringValues header)
    {
        if (header.Count != 1 || header[0] is not { Length: >= 2 and <= 9 } text
            || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        return text[^1] switch
        {
            'H' => TimeSpan.FromHours(value),
            'M' => TimeSpan.FromMinutes(value),
            'S' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMilliseconds(value),
            'u' => TimeSpan.FromMicroseconds(value),
            'n' => TimeSpan.FromTicks(Math.Max(1, value / 100)),
            _ => null,
        };
    }

    private static partial class Log
    {
        [LoggerMessage(7001, LogLevel.Warning, "gRPC call to unknown method {Method}")]
        public static partial void UnknownMethod(ILogger logger, string method);

        [LoggerMessage(7002, LogLevel.Error, "gRPC call {Method} failed")]
        public static partial void Failed(ILogger logger, string method, Exception exception);
    }
}
