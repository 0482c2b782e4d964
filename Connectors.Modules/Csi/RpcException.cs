namespace Connectors.Modules.Csi;

/// <summary>
/// A call that ends with a non-OK gRPC status. Thrown by CSI handlers (the status is what kubelet shows in the
/// pod's events) and by <see cref="GrpcUnixClient"/> when the server answers an error.
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(GrpcStatusCode status, string message)
        : base(message)
    {
        Status = status;
    }

    public RpcException()
        : this(GrpcStatusCode.Unknown, "unknown error")
    {
    }

    public RpcException(string message)
        : this(GrpcStatusCode.Unknown, message)
    {
    }

    public RpcException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = GrpcStatusCode.Unknown;
    }

    public GrpcStatusCode Status { get; }

    /// <summary>The form grpc-go prints: <c>rpc error: code = NotFound desc = ...</c>.</summary>
    public override string ToString() => $"rpc error: code = {Status} desc = {Message}";
}
