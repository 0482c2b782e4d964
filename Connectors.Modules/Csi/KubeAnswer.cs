using Grpc.Core;
namespace Connectors.Modules.Csi;

/// <summary>The answer of an API call: the object, or the gRPC status the driver returns and why.</summary>
internal readonly record struct KubeAnswer<T>(T? Value, StatusCode Status, string? Message)
    where T : class
{
    public bool IsOk => Value is not null;

    public static KubeAnswer<T> Ok(T value) => new(value, StatusCode.OK, null);

    public static KubeAnswer<T> Fail(StatusCode status, string message) => new(null, status, message);
}
