namespace Connectors.Modules.Proxy;

/// <summary>
/// What goes on a registry-mode request upstream: an <c>Authorization</c> value (null: none, the registry is open or
/// the Connector anonymous), or why there is none (<see cref="Error"/>, answered 502: the Connector's registry or its
/// token service is the problem, not the client). Values hold credentials: never logged.
/// </summary>
internal readonly record struct RegistryAuthorization(string? Header, string? Error)
{
    public static RegistryAuthorization None => new(null, null);

    public static RegistryAuthorization Failed(string error) => new(null, error);
}
