using System.Text;
using System.Text.Json;

namespace Connectors.Modules.Registry;

/// <summary>
/// The error body of the distribution API (<c>{"errors":[{"code":"...","message":"..."}]}</c>), so registry clients
/// print the proxy's reason ("unauthorized: ...") instead of a bare status. Codes are the spec's.
/// </summary>
internal static class DistributionError
{
    /// <summary>The header registries send on every answer, which clients check on <c>/v2/</c>.</summary>
    public const string ApiVersionHeader = "Docker-Distribution-API-Version";

    public const string ApiVersion = "registry/2.0";

    public const string ContentType = "application/json; charset=utf-8";

    /// <summary>The spec's code for an HTTP status of the proxy's own answers.</summary>
    public static string CodeFor(int status) => status switch
    {
        401 or 407 => "UNAUTHORIZED",
        403 => "DENIED",
        404 => "NAME_UNKNOWN",
        405 => "UNSUPPORTED",
        429 => "TOOMANYREQUESTS",
        >= 400 and < 500 => "UNSUPPORTED",
        _ => "UNAVAILABLE",
    };

    /// <summary>The JSON body for one error.</summary>
    public static byte[] Body(string code, string message)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(message);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("errors");
            writer.WriteStartObject();
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>The body of <c>/v2/</c>: an empty JSON object.</summary>
    public static ReadOnlyMemory<byte> EmptyObject { get; } = Encoding.UTF8.GetBytes("{}\n");
}
