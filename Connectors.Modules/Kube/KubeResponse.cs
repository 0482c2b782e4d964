using System.Net;
using System.Text.Json;
using Connectors.Modules.Model;

namespace Connectors.Modules.Kube;

/// <summary>One read answer: status code and body, or a transport failure.</summary>
internal sealed record KubeResponse(HttpStatusCode StatusCode, byte[] Body, TimeSpan? RetryAfter, string? TransportError = null)
{
    public bool IsSuccess => TransportError is null && (int)StatusCode is >= 200 and < 300;

    public static KubeResponse Failed(string message) => new(0, [], null, message);

    /// <summary>The outcome of a status code (<c>k8s.io/apimachinery/pkg/api/errors</c> classification).</summary>
    public static KubeOutcome OutcomeOf(int code) => code switch
    {
        >= 200 and < 300 => KubeOutcome.Ok,
        404 => KubeOutcome.NotFound,
        409 => KubeOutcome.Conflict,
        410 => KubeOutcome.Gone,
        403 => KubeOutcome.Forbidden,
        401 => KubeOutcome.Unauthorized,
        400 or 405 or 406 or 413 or 415 or 422 => KubeOutcome.Invalid,
        _ => KubeOutcome.Transient,
    };

    /// <summary>The decoded body on success, or the failure with the Status message.</summary>
    public KubeResult<T> ToResult<T>(Func<byte[], T> decode)
    {
        if (TransportError is not null)
        {
            return KubeResults.Fail<T>(KubeOutcome.Transient, TransportError);
        }

        if (!IsSuccess)
        {
            var status = TryStatus();
            var message = status?.Message is { Length: > 0 } text ? text : $"the API answered {(int)StatusCode} {StatusCode}";
            return KubeResults.Fail<T>(OutcomeOf((int)StatusCode), message, status?.Reason);
        }

        try
        {
            return KubeResults.Ok(decode(Body));
        }
        catch (JsonException e)
        {
            return KubeResults.Fail<T>(KubeOutcome.Invalid, $"cannot decode the answer as {typeof(T).Name}: {e.Message}");
        }
    }

    public KubeStatus? TryStatus()
    {
        try
        {
            return Body.Length > 0 && Body[0] == (byte)'{' ? ModelJson.Deserialize<KubeStatus>(Body) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
