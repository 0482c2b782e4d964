namespace Connectors.Modules.Kube;

/// <summary>How an API call ended. Everything but <see cref="Ok"/> carries a message in <see cref="KubeResult{T}"/>.</summary>
public enum KubeOutcome
{
    /// <summary>2xx.</summary>
    Ok,

    /// <summary>404: the object (or its namespace) does not exist.</summary>
    NotFound,

    /// <summary>409: a stale <c>resourceVersion</c> on update, or the name already exists on create.</summary>
    Conflict,

    /// <summary>410: the watch or list <c>resourceVersion</c> is too old; relist.</summary>
    Gone,

    /// <summary>403: authenticated, but RBAC does not allow the call.</summary>
    Forbidden,

    /// <summary>401: the credentials were rejected (expired or unknown token, wrong client certificate).</summary>
    Unauthorized,

    /// <summary>400 or 422: the request or object is invalid; retrying the same call will not help.</summary>
    Invalid,

    /// <summary>5xx, 429, a timeout or a network failure: retry later.</summary>
    Transient,
}
