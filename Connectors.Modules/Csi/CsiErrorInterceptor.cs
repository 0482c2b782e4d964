using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Connectors.Modules.Csi;

/// <summary>
/// A handler's unexpected exception becomes <c>INTERNAL</c> <c>internal error: &lt;type&gt;</c> (gRPC's default is
/// <c>UNKNOWN</c> with a generic text) and is logged with its stack; the exception's message never reaches the
/// client. Statuses the handlers raise and the call's own cancellation pass through.
/// </summary>
internal sealed partial class CsiErrorInterceptor(ILogger<CsiErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException && !(e is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
        {
            Log.Failed(logger, context.Method, e);
            throw new RpcException(new Status(StatusCode.Internal, "internal error: " + e.GetType().Name));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(7002, LogLevel.Error, "gRPC call {Method} failed")]
        public static partial void Failed(ILogger logger, string method, Exception exception);
    }
}
